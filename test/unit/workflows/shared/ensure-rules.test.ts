import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/errors.ts';
import type { CloudNetwork, IndexedRule, Rule, RuleSet } from '../../../../src/ports/cloud-network.ts';
import { ensureRules } from '../../../../workflows/shared/groups/ensure-rules.ts';
import type { StepPorts } from '../../../../workflows/shared/step-ports.ts';
import { createLocalGroupWriteLock } from '../../../../src/engine/local-group-write-lock.ts';
import { createRuleWriteBatches } from '../../../../workflows/shared/groups/rule-write-batches.ts';

const dns = (protocol: 'TCP' | 'UDP', from: string): Rule => ({
  protocol,
  port: '53',
  peer: { securityGroupId: from },
  action: 'ACCEPT',
});

/**
 * One cluster group's rule set with the API's Version check, and a rival grant that writes its own
 * DNS rules between our read and our write the first `races` times we read.
 */
function racedCloud(races: number) {
  const set: RuleSet = { version: '1', ingress: [], egress: [] };
  const writes: string[] = [];
  let reads = 0;
  const add = (direction: 'ingress' | 'egress', rules: Rule[]) => {
    set[direction] = [...set[direction], ...rules].map((r, index): IndexedRule => ({ ...r, index }));
    set.version = String(Number(set.version) + 1);
  };
  const cloud = {
    async describeSecurityGroupPolicies() {
      reads += 1;
      const snapshot = structuredClone(set);
      if (reads <= races) add('ingress', [dns('UDP', `sg-rival${reads}`)]);
      return { ruleSet: snapshot };
    },
    async createSecurityGroupPolicies(input: {
      direction: 'ingress' | 'egress';
      rules: Rule[];
      version?: string;
    }) {
      if (input.version !== set.version)
        throw new AppError('CLOUD_VERSION_MISMATCH', 'The security group policy version does not match.');
      writes.push(`${input.direction}:${input.rules.map((r) => r.protocol).join('+')}`);
      add(input.direction, input.rules);
      return { requestId: 'req' };
    },
  } as unknown as CloudNetwork;
  return { cloud, set, writes, readCount: () => reads };
}

const portsWith = (cloud: CloudNetwork) =>
  ({ cloud, groupWrites: createLocalGroupWriteLock() }) as unknown as StepPorts;

describe('adding the rules a grant needs to a group others write to at the same time', () => {
  it('re-reads after losing a race and adds only what is still missing, without failing the step', async () => {
    const world = racedCloud(2);
    const added = await ensureRules(portsWith(world.cloud), 'sg-cluster', {
      ingress: [dns('TCP', 'sg-pods'), dns('UDP', 'sg-pods')],
    });
    expect(world.readCount()).toBe(3);
    expect(world.writes).toEqual(['ingress:TCP+UDP']);
    expect(added.ingress.map((r) => r.protocol)).toEqual(['TCP', 'UDP']);
    // The rivals' rules and ours, each once.
    expect(
      world.set.ingress.map(
        (r) => `${r.protocol}:${(r.peer as { securityGroupId: string }).securityGroupId}`,
      ),
    ).toEqual(['UDP:sg-rival1', 'UDP:sg-rival2', 'TCP:sg-pods', 'UDP:sg-pods']);
  });

  it('keeps what an earlier attempt added when a later direction loses the race', async () => {
    const world = racedCloud(0);
    let egressConflicts = 1;
    const create = world.cloud.createSecurityGroupPolicies.bind(world.cloud);
    world.cloud.createSecurityGroupPolicies = (async (
      input: Parameters<CloudNetwork['createSecurityGroupPolicies']>[0],
    ) => {
      if (input.direction === 'egress' && egressConflicts-- > 0)
        throw new AppError('CLOUD_VERSION_MISMATCH', 'The security group policy version does not match.');
      return create(input);
    }) as CloudNetwork['createSecurityGroupPolicies'];
    const egress: Rule = { protocol: 'ALL', port: 'ALL', peer: { cidr: '0.0.0.0/0' }, action: 'ACCEPT' };
    const added = await ensureRules(portsWith(world.cloud), 'sg-pods', {
      ingress: [dns('TCP', 'sg-cluster')],
      egress: [egress],
    });
    expect(world.writes).toEqual(['ingress:TCP', 'egress:ALL']);
    expect(added).toEqual({ ingress: [dns('TCP', 'sg-cluster')], egress: [egress] });
  });

  it('gives up after five lost races, so the step is retried with backoff', async () => {
    const world = racedCloud(99);
    await expect(
      ensureRules(portsWith(world.cloud), 'sg-cluster', { ingress: [dns('TCP', 'sg-pods')] }),
    ).rejects.toMatchObject({ code: 'CLOUD_VERSION_MISMATCH' });
    expect(world.readCount()).toBe(5);
    expect(world.writes).toEqual([]);
  });

  it('lets grants adding rules to one group at once take turns, so the cloud refuses none of their writes', async () => {
    // Every call answers a few ms late; a write whose Version is stale is refused, as the API does.
    const set: RuleSet = { version: '1', ingress: [], egress: [] };
    let refused = 0;
    const late = () => new Promise((r) => setTimeout(r, 3));
    const cloud = {
      async describeSecurityGroupPolicies() {
        await late();
        return { ruleSet: structuredClone(set) };
      },
      async createSecurityGroupPolicies(input: { rules: Rule[]; version?: string }) {
        await late();
        if (input.version !== set.version) {
          refused += 1;
          throw new AppError('CLOUD_VERSION_MISMATCH', 'The security group policy version does not match.');
        }
        set.ingress = [...set.ingress, ...input.rules].map((r, index): IndexedRule => ({ ...r, index }));
        set.version = String(Number(set.version) + 1);
        return { requestId: 'req' };
      },
    } as unknown as CloudNetwork;
    const ports = portsWith(cloud);
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ensureRules(ports, 'sg-cluster', { ingress: [dns('TCP', `sg-pods${i}`), dns('UDP', `sg-pods${i}`)] }),
      ),
    );
    expect(refused).toBe(0);
    expect(set.ingress).toHaveLength(12);
    expect(set.version).toBe('7');
  });

  it('does not retry other errors', async () => {
    const world = racedCloud(0);
    world.cloud.createSecurityGroupPolicies = (async () => {
      throw new AppError('CLOUD_QUOTA', 'Too many rules.');
    }) as CloudNetwork['createSecurityGroupPolicies'];
    await expect(
      ensureRules(portsWith(world.cloud), 'sg-cluster', { ingress: [dns('TCP', 'sg-pods')] }),
    ).rejects.toMatchObject({ code: 'CLOUD_QUOTA' });
    expect(world.readCount()).toBe(1);
  });

  it('with batches, grants waiting for the same turn share one read and one write, each told what it added', async () => {
    const world = racedCloud(0);
    const ports = {
      ...portsWith(world.cloud),
      ruleBatches: createRuleWriteBatches(),
    } as StepPorts;
    const asks = ['a', 'b', 'c', 'd'].map((x) => [dns('TCP', `sg-${x}`), dns('UDP', `sg-${x}`)]);
    // The second asker of sg-a's TCP rule gets no credit for it: only one rollback may remove it.
    const added = await Promise.all([
      ...asks.map((ingress) => ensureRules(ports, 'sg-cluster', { ingress })),
      ensureRules(ports, 'sg-cluster', { ingress: [dns('TCP', 'sg-a')] }),
    ]);
    // All five asked before the turn came: one read, one write of the eight distinct rules.
    expect(world.readCount()).toBe(1);
    expect(world.writes).toEqual(['ingress:TCP+UDP+TCP+UDP+TCP+UDP+TCP+UDP']);
    expect(added.map((a) => a.ingress.length)).toEqual([2, 2, 2, 2, 0]);
    expect(added[2]!.ingress).toEqual(asks[2]);
    expect(world.set.ingress).toHaveLength(8);
  });

  it('with batches, a failed write fails every grant that waited for it, and the next ones start afresh', async () => {
    const world = racedCloud(0);
    const create = world.cloud.createSecurityGroupPolicies.bind(world.cloud);
    let failures = 1;
    world.cloud.createSecurityGroupPolicies = (async (
      input: Parameters<CloudNetwork['createSecurityGroupPolicies']>[0],
    ) => {
      if (failures-- > 0) throw new AppError('CLOUD_QUOTA', 'Too many rules.');
      return create(input);
    }) as CloudNetwork['createSecurityGroupPolicies'];
    const ports = { ...portsWith(world.cloud), ruleBatches: createRuleWriteBatches() } as StepPorts;
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c'].map((x) => ensureRules(ports, 'sg-cluster', { ingress: [dns('TCP', `sg-${x}`)] })),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const again = await ensureRules(ports, 'sg-cluster', { ingress: [dns('TCP', 'sg-a')] });
    expect(again.ingress).toEqual([dns('TCP', 'sg-a')]);
    expect(world.writes).toEqual(['ingress:TCP']);
  });
});
