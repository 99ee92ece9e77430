import type { Words } from '../../../../src/domain/words.ts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.ts';
import type { CloudNetwork, Direction, IndexedRule, Rule } from '../../../../src/ports/cloud-network.ts';
import type { Cluster, PodInfo, SecurityGroupPolicyInfo } from '../../../../src/ports/cluster.ts';
import { systemClock } from '../../../../src/ports/clock.ts';
import { createLocalGroupWriteLock } from '../../../../src/engine/local-group-write-lock.ts';
import type { StepPorts } from '../../../../workflows/shared/step-ports.ts';
import { groupUsers, readGroupUsage } from '../../../../workflows/shared/groups/group-users.ts';
import { removeSgopsRules } from '../../../../workflows/shared/groups/remove-sgops-rules.ts';
import { sandboxGrantSettings } from '../../../helpers/grant-settings.ts';

/** What each user of a group is, as an English reader is told. */
const english = (said: readonly Words[]) => said.map((s) => s.en);

/** One group's rules in memory, and the policies and pods of a cluster: what the pieces read and write. */
function fakeWorld(init: {
  rules?: Partial<Record<Direction, Rule[]>>;
  policies?: SecurityGroupPolicyInfo[];
  pods?: Partial<PodInfo>[];
  groupGone?: boolean;
}) {
  const rules: Record<Direction, Rule[]> = { ingress: [], egress: [], ...init.rules };
  const writes: string[] = [];
  const reads: string[] = [];
  const cloud = {
    async describeSecurityGroups(query: { ids: string[] }) {
      if (init.groupGone) throw new AppError('CLOUD_NOT_FOUND', 'no such group');
      return { requestId: 'r', groups: query.ids.map((id) => ({ id, tags: {} })), totalCount: 1 };
    },
    async describeSecurityGroupPolicies() {
      const indexed = (d: Direction): IndexedRule[] => rules[d].map((r, index) => ({ ...r, index }));
      return {
        requestId: 'r',
        ruleSet: { version: '1', ingress: indexed('ingress'), egress: indexed('egress') },
      };
    },
    async deleteSecurityGroupPolicies(input: { direction: Direction; rules: Rule[] }) {
      writes.push(`${input.direction} ${input.rules.map((r) => r.port).join(',')}`);
      rules[input.direction] = rules[input.direction].filter(
        (r) => !input.rules.some((x) => JSON.stringify(x) === JSON.stringify(r)),
      );
      return { requestId: 'r' };
    },
  } as unknown as CloudNetwork;
  const cluster = {
    async getSecurityGroupPolicy(namespace: string, name: string) {
      reads.push(`get securitygrouppolicies ${namespace}/${name}`);
      return init.policies?.find((p) => p.namespace === namespace && p.name === name) ?? null;
    },
    async listSecurityGroupPolicies() {
      reads.push('list securitygrouppolicies');
      return init.policies ?? [];
    },
    async listPods(namespace: string) {
      reads.push(`list pods ${namespace}`);
      return (init.pods ?? []).map((p) => ({ labels: {}, securityGroupIds: [], ...p }) as PodInfo);
    },
  } as unknown as Cluster;
  const ports: StepPorts = {
    cloud,
    cluster,
    groupWrites: createLocalGroupWriteLock(),
    clock: systemClock,
    settings: sandboxGrantSettings({ pollDelayMs: 10, rolloutWaitMs: 10 }),
  };
  return { ports, writes, reads, rules };
}

const rule = (port: string, description: string | undefined, peer = 'sg-team0001'): Rule => ({
  protocol: 'TCP',
  port,
  peer: { securityGroupId: peer },
  action: 'ACCEPT',
  ...(description === undefined ? {} : { description }),
});

describe('removing the rules sgops wrote in a group it does not own', () => {
  it("removes one request's rules and leaves the group's own and other requests' rules", async () => {
    const world = fakeWorld({
      rules: {
        ingress: [
          rule('443', 'https'),
          rule('1', 'sgops R2222: kubelet'),
          rule('2', 'sgops R3333: kubelet'),
          rule('3', undefined),
        ],
        egress: [rule('4', 'sgops R2222: allow'), rule('5', 'egress')],
      },
    });
    const removed = await removeSgopsRules(world.ports, 'sg-team0001', { requestId: 'R2222' });
    expect(removed.map((r) => `${r.direction} ${r.rules.map((x) => x.port)}`)).toEqual([
      'ingress 1',
      'egress 4',
    ]);
    expect(world.rules.ingress.map((r) => r.port)).toEqual(['443', '2', '3']);
    expect(world.rules.egress.map((r) => r.port)).toEqual(['5']);
  });

  it('with a peer, removes only sgops rules naming that peer (any request when none is given)', async () => {
    const world = fakeWorld({
      rules: {
        ingress: [
          rule('53', 'sgops R2222: DNS', 'sg-team0001'),
          rule('54', 'sgops R3333: DNS', 'sg-team0001'),
          rule('53', 'sgops R2222: DNS', 'sg-other001'),
          rule('55', 'hand-made DNS', 'sg-team0001'),
        ],
      },
    });
    await removeSgopsRules(world.ports, 'sg-cluster1', { peer: ['sg-team0001'] });
    expect(
      world.rules.ingress.map(
        (r) => `${r.port} ${'securityGroupId' in r.peer ? r.peer.securityGroupId : ''}`,
      ),
    ).toEqual(['53 sg-other001', '55 sg-team0001']);
  });

  it('writes nothing when there is nothing of sgops, or the group is gone', async () => {
    const plain = fakeWorld({ rules: { ingress: [rule('443', 'https')] } });
    expect(await removeSgopsRules(plain.ports, 'sg-team0001', {})).toEqual([]);
    const gone = fakeWorld({ groupGone: true });
    expect(await removeSgopsRules(gone.ports, 'sg-team0001', {})).toEqual([]);
    expect([...plain.writes, ...gone.writes]).toEqual([]);
  });
});

describe('who still uses a group, everywhere in the cluster', () => {
  const policy = (namespace: string, name: string, groupIds: string[]): SecurityGroupPolicyInfo => ({
    namespace,
    name,
    groupIds,
  });

  it('names policies of any namespace that name the group, except the ones being removed, and skips ignored pods', async () => {
    const world = fakeWorld({
      policies: [
        policy('shop', 'sgops-web', ['sg-team0001']),
        policy('shop', 'sgops-api', ['sg-team0001']),
        policy('billing', 'team-own', ['sg-x', 'sg-team0001']),
        policy('billing', 'unrelated', ['sg-x']),
      ],
      pods: [
        { name: 'web-1', serviceAccountName: 'web', securityGroupIds: ['sg-team0001'] },
        { name: 'job-1', serviceAccountName: 'batch', securityGroupIds: ['sg-team0001'] },
      ],
    });
    const users = await groupUsers(world.ports, {
      namespace: 'shop',
      podGroupId: 'sg-team0001',
      policyNames: [],
      ignorePod: (p) => p.serviceAccountName === 'web',
      everywhere: { except: ['shop/sgops-web'] },
    });
    expect(english(users)).toEqual([
      'SecurityGroupPolicy billing/team-own names sg-team0001',
      'SecurityGroupPolicy shop/sgops-api names sg-team0001',
      'pod job-1 in shop carries sg-team0001',
    ]);
  });

  it('reads the policies and the pods once, with no get per named policy, and answers for every group', async () => {
    const world = fakeWorld({
      policies: [
        policy('shop', 'sgops-web', ['sg-app00001']),
        policy('billing', 'team-own', ['sg-mtr00001']),
      ],
      pods: [{ name: 'job-1', securityGroupIds: ['sg-mtr00001'] }],
    });
    const usersOf = await readGroupUsage(world.ports, {
      namespace: 'shop',
      policyNames: ['sgops-web', 'sgops-api'],
      everywhere: { except: [] },
    });
    expect(english(usersOf('sg-app00001'))).toEqual(['SecurityGroupPolicy shop/sgops-web names sg-app00001']);
    expect(english(usersOf('sg-mtr00001'))).toEqual([
      'SecurityGroupPolicy billing/team-own names sg-mtr00001',
      'pod job-1 in shop carries sg-mtr00001',
    ]);
    expect(english(usersOf('sg-none0001'))).toEqual([]);
    expect(world.reads).toEqual(['list securitygrouppolicies', 'list pods shop']);
  });

  it('still counts a policy named by the caller when the cluster-wide look leaves it out', async () => {
    const world = fakeWorld({ policies: [policy('shop', 'team-kept', ['sg-app00001'])] });
    const users = await groupUsers(world.ports, {
      namespace: 'shop',
      podGroupId: 'sg-app00001',
      policyNames: ['team-kept'],
      everywhere: { except: ['shop/team-kept'] },
    });
    expect(english(users)).toEqual(['SecurityGroupPolicy shop/team-kept names sg-app00001']);
  });
});
