import type { Words } from '../../../../src/domain/words.ts';
import { words } from '../../../../src/domain/words.ts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.ts';
import type { CloudNetwork, IndexedRule, Rule, SecurityGroup } from '../../../../src/ports/cloud-network.ts';
import type { Cluster, PodInfo, SecurityGroupPolicyInfo } from '../../../../src/ports/cluster.ts';
import { systemClock } from '../../../../src/ports/clock.ts';
import { createLocalGroupWriteLock } from '../../../../src/engine/local-group-write-lock.ts';
import type { StepPorts } from '../../../../workflows/shared/step-ports.ts';
import { deleteGroupIfUnused } from '../../../../workflows/shared/groups/delete-group-if-unused.ts';
import { groupUsers } from '../../../../workflows/shared/groups/group-users.ts';
import { removeRules } from '../../../../workflows/shared/groups/remove-rules.ts';
import { createRuleWriteBatches } from '../../../../workflows/shared/groups/rule-write-batches.ts';
import { sandboxGrantSettings } from '../../../helpers/grant-settings.ts';

/** What each user of a group is, as an English reader is told. */
const english = (said: readonly Words[]) => said.map((s) => s.en);

/** A small in-memory cloud and cluster: just the calls the removal pieces make, and what they wrote. */
function fakeWorld(init: {
  groups?: SecurityGroup[];
  ingress?: Rule[];
  referredBy?: string[];
  policies?: SecurityGroupPolicyInfo[];
  pods?: Partial<PodInfo>[];
  deleteFails?: AppError;
}) {
  const groups = [...(init.groups ?? [])];
  let ingress: Rule[] = [...(init.ingress ?? [])];
  let version = 7;
  const writes: string[] = [];
  const cloud = {
    async describeSecurityGroups(query: { ids?: string[] }) {
      const found = groups.filter((g) => query.ids?.includes(g.id));
      if (found.length === 0) throw new AppError('CLOUD_NOT_FOUND', 'no such group');
      return { requestId: 'r', groups: found, totalCount: found.length };
    },
    async describeSecurityGroupPolicies() {
      const indexed: IndexedRule[] = ingress.map((r, index) => ({ ...r, index }));
      return { requestId: 'r', ruleSet: { version: String(version), ingress: indexed, egress: [] } };
    },
    async deleteSecurityGroupPolicies(input: { rules: Rule[]; version?: string }) {
      expect(input.version).toBe(String(version));
      writes.push(`DeleteSecurityGroupPolicies ${input.rules.length}`);
      ingress = ingress.filter((r) => !input.rules.some((x) => JSON.stringify(x) === JSON.stringify(r)));
      version++;
      return { requestId: 'r' };
    },
    async describeSecurityGroupReferences(ids: string[]) {
      return {
        requestId: 'r',
        references: ids.map((id) => ({ securityGroupId: id, referredBy: init.referredBy ?? [] })),
      };
    },
    async deleteSecurityGroup(id: string) {
      if (init.deleteFails) throw init.deleteFails;
      writes.push(`DeleteSecurityGroup ${id}`);
      groups.splice(
        groups.findIndex((g) => g.id === id),
        1,
      );
      return { requestId: 'r' };
    },
  } as unknown as CloudNetwork;
  const cluster = {
    async getSecurityGroupPolicy(_ns: string, name: string) {
      return init.policies?.find((p) => p.name === name) ?? null;
    },
    async listPods() {
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
  return { ports, writes, rules: () => ingress, groups };
}

const dns = (peer: string, protocol: 'TCP' | 'UDP', description = 'sgops R1: DNS'): Rule => ({
  protocol,
  port: '53',
  peer: { securityGroupId: peer },
  action: 'ACCEPT',
  description,
});
const nodes: Rule = { protocol: 'ALL', port: 'ALL', peer: { cidr: '10.0.0.0/24' }, action: 'ACCEPT' };
const podGroup: SecurityGroup = {
  id: 'sg-pod1',
  name: 'sgops-ns-app',
  description: '',
  projectId: '0',
  tags: { 'sgops/managed': 'true' },
  createdTime: '',
};

describe('removing rules', () => {
  it('removes only the given rules that are present, whatever their description, in one versioned call', async () => {
    const world = fakeWorld({
      ingress: [nodes, dns('sg-pod1', 'UDP', 'written by hand'), dns('sg-pod1', 'TCP')],
    });
    const removed = await removeRules(world.ports, 'sg-cluster', 'ingress', [
      dns('sg-pod1', 'UDP'),
      dns('sg-pod1', 'TCP'),
      dns('sg-other', 'TCP'),
    ]);
    expect(removed.map((r) => r.protocol)).toEqual(['UDP', 'TCP']);
    expect(world.rules()).toEqual([nodes]);
    expect(world.writes).toEqual(['DeleteSecurityGroupPolicies 2']);
  });

  it('with batches, removals waiting for the same turn share one read and one delete, each told its own', async () => {
    const world = fakeWorld({
      ingress: [
        nodes,
        dns('sg-pod1', 'UDP'),
        dns('sg-pod1', 'TCP'),
        dns('sg-pod2', 'UDP'),
        dns('sg-pod2', 'TCP'),
      ],
    });
    const ports = { ...world.ports, ruleBatches: createRuleWriteBatches() } as StepPorts;
    const [first, second] = await Promise.all(
      ['sg-pod1', 'sg-pod2'].map((pod) =>
        removeRules(ports, 'sg-cluster', 'ingress', [dns(pod, 'UDP'), dns(pod, 'TCP')]),
      ),
    );
    expect(first!.map((r) => (r.peer as { securityGroupId: string }).securityGroupId)).toEqual([
      'sg-pod1',
      'sg-pod1',
    ]);
    expect(second!.map((r) => (r.peer as { securityGroupId: string }).securityGroupId)).toEqual([
      'sg-pod2',
      'sg-pod2',
    ]);
    expect(world.rules()).toEqual([nodes]);
    expect(world.writes).toEqual(['DeleteSecurityGroupPolicies 4']);
  });

  it('writes nothing when the rules are already gone', async () => {
    const world = fakeWorld({ ingress: [nodes] });
    expect(await removeRules(world.ports, 'sg-cluster', 'ingress', [dns('sg-pod1', 'UDP')])).toEqual([]);
    expect(world.writes).toEqual([]);
  });
});

describe('who still uses a pod group', () => {
  it('names the policies that name the group and the pods that carry it, leaving out ignored pods', async () => {
    const world = fakeWorld({
      policies: [
        { name: 'team-shared', namespace: 'ns', groupIds: ['sg-pod1'] },
        { name: 'unrelated', namespace: 'ns', groupIds: ['sg-x'] },
      ],
      pods: [
        { name: 'report-1', labels: { app: 'report' }, securityGroupIds: ['sg-pod1'] },
        { name: 'app-1', labels: { app: 'app' }, securityGroupIds: ['sg-pod1'] },
        { name: 'other-1', labels: { app: 'other' }, securityGroupIds: [] },
      ],
    });
    const users = await groupUsers(world.ports, {
      namespace: 'ns',
      podGroupId: 'sg-pod1',
      policyNames: ['unrelated', 'team-shared', 'missing'],
      ignorePod: (pod) => pod.labels['app'] === 'app',
    });
    expect(english(users)).toEqual([
      'SecurityGroupPolicy ns/team-shared names sg-pod1',
      'pod report-1 in ns carries sg-pod1',
    ]);
  });

  it('finds nobody when no named policy and no pod uses the group', async () => {
    const world = fakeWorld({ pods: [{ name: 'a', securityGroupIds: ['sg-x'] }] });
    expect(
      await groupUsers(world.ports, { namespace: 'ns', podGroupId: 'sg-pod1', policyNames: [] }),
    ).toEqual([]);
  });
});

describe('deleting a pod group', () => {
  const ours = (g: SecurityGroup) => g.tags['sgops/managed'] === 'true';

  it('deletes an unused, unreferenced group of its own', async () => {
    const world = fakeWorld({ groups: [podGroup] });
    expect(await deleteGroupIfUnused(world.ports, 'sg-pod1', { ours, users: [] })).toEqual({
      deleted: true,
      kept: [],
    });
    expect(world.writes).toEqual(['DeleteSecurityGroup sg-pod1']);
  });

  it('counts a group already gone as deleted, without a write', async () => {
    const world = fakeWorld({});
    expect(await deleteGroupIfUnused(world.ports, 'sg-pod1', { ours, users: [] })).toEqual({
      deleted: true,
      kept: [],
    });
    expect(world.writes).toEqual([]);
  });

  it('keeps a group another group refers to, one it did not make, one still used, and one the cloud says is in use', async () => {
    const referred = fakeWorld({ groups: [podGroup], referredBy: ['sg-db'] });
    expect(await deleteGroupIfUnused(referred.ports, 'sg-pod1', { ours, users: [] })).toEqual({
      deleted: false,
      kept: [words('sg-pod1 is referred to by the rules of sg-db', 'sg-pod1 仍被 sg-db 的规则引用')],
    });
    const foreign = fakeWorld({ groups: [{ ...podGroup, tags: {} }] });
    expect((await deleteGroupIfUnused(foreign.ports, 'sg-pod1', { ours, users: [] })).deleted).toBe(false);
    const used = fakeWorld({ groups: [podGroup] });
    expect(
      await deleteGroupIfUnused(used.ports, 'sg-pod1', {
        ours,
        users: [words('pod p carries sg-pod1', 'Pod p 带有 sg-pod1')],
      }),
    ).toEqual({
      deleted: false,
      kept: [words('sg-pod1: pod p carries sg-pod1', 'sg-pod1：Pod p 带有 sg-pod1')],
    });
    const inUse = fakeWorld({
      groups: [podGroup],
      deleteFails: new AppError('CLOUD_IN_USE', 'bound to an ENI'),
    });
    expect(await deleteGroupIfUnused(inUse.ports, 'sg-pod1', { ours, users: [] })).toEqual({
      deleted: false,
      kept: [
        words('sg-pod1 is in use: bound to an ENI', 'sg-pod1 仍在使用中，腾讯云原文：「bound to an ENI」'),
      ],
    });
    for (const w of [referred, foreign, used, inUse]) expect(w.writes).toEqual([]);
  });
});
