import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import type { CloudNetwork, Rule } from '../../src/ports/cloud-network.ts';

/**
 * What every CloudNetwork must do, run against the real adapter pointed at its stand-in (and,
 * by an operator, against a real account). Names carry a random suffix and groups are removed
 * afterwards, so the suite can share an account with other work.
 */
export interface CloudNetworkContractWorld {
  network: CloudNetwork;
  /** A cluster that meets the seed procedure's restrictions: add-on Succeeded, super nodes present. */
  clusterId: string;
  vpcId: string;
  addonName: string;
  dispose(): Promise<void>;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function describeCloudNetworkContract(
  label: string,
  makeWorld: () => Promise<CloudNetworkContractWorld>,
): void {
  describe(`CloudNetwork contract: ${label}`, () => {
    let world: CloudNetworkContractWorld;
    let network: CloudNetwork;
    const suffix = Math.random().toString(36).slice(2, 8);
    const created: string[] = [];

    async function newGroup(name: string, tags: Record<string, string> = {}) {
      const { group } = await network.createSecurityGroup({
        name: `${name}-${suffix}`,
        description: 'contract test',
        tags,
      });
      created.push(group.id);
      return group;
    }

    beforeAll(async () => {
      world = await makeWorld();
      network = world.network;
    });

    afterAll(async () => {
      if (!world) return;
      // Rules first, so references never block deleting a group.
      for (const id of created) {
        const { ruleSet } = await network
          .describeSecurityGroupPolicies(id)
          .catch(() => ({ ruleSet: undefined }));
        if (ruleSet?.ingress.length) {
          await network.deleteSecurityGroupPolicies({
            securityGroupId: id,
            direction: 'ingress',
            rules: ruleSet.ingress,
          });
        }
        if (ruleSet?.egress.length) {
          await network.deleteSecurityGroupPolicies({
            securityGroupId: id,
            direction: 'egress',
            rules: ruleSet.egress,
          });
        }
      }
      for (const id of created) await network.deleteSecurityGroup(id).catch(() => undefined);
      await world.dispose();
    });

    it('describes a cluster with its version, VPC and dual-stack flag, and returns the RequestId', async () => {
      const result = await network.describeClusters([world.clusterId]);
      expect(result.requestId).not.toBe('');
      expect(result.clusters).toHaveLength(1);
      const [cluster] = result.clusters;
      expect(cluster).toMatchObject({ id: world.clusterId, vpcId: world.vpcId, isDualStack: false });
      expect(cluster?.version).toMatch(/^\d+\.\d+(\.\d+)?$/);
    });

    it('describes an unknown cluster as an empty list, not an error', async () => {
      const result = await network.describeClusters(['cls-zz0000zz']);
      expect(result.clusters).toEqual([]);
    });

    it('reports the security-group add-on with its phase, and an absent add-on as an empty list', async () => {
      const installed = await network.describeAddon(world.clusterId, world.addonName);
      expect(installed.addons.map((a) => a.name)).toEqual([world.addonName]);
      expect(installed.addons[0]?.phase).toBe('Succeeded');
      const absent = await network.describeAddon(world.clusterId, 'no-such-addon');
      expect(absent.addons).toEqual([]);
    });

    it('lists the super nodes of the cluster', async () => {
      const { nodes } = await network.describeClusterVirtualNodes(world.clusterId);
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) {
        expect(node.name).toMatch(/^eklet-/);
        expect(node.subnetId).toMatch(/^subnet-/);
      }
    });

    it('creates a security group that can be found by id and by its exact name and tags', async () => {
      const group = await newGroup('contract-app', { 'sgops/app': `app-${suffix}`, 'sgops/managed': 'true' });
      // A longer name that contains the first: a loose name filter would match both.
      await newGroup(`contract-app-${suffix}`, { 'sgops/app': `app-${suffix}`, 'sgops/managed': 'true' });
      expect(group.id).toMatch(/^sg-[a-z0-9]{8}$/);
      expect(group.tags).toEqual({ 'sgops/app': `app-${suffix}`, 'sgops/managed': 'true' });
      expect(group.createdTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

      const byId = await network.describeSecurityGroups({ ids: [group.id] });
      expect(byId.groups.map((g) => g.id)).toEqual([group.id]);
      const byName = await network.describeSecurityGroups({
        name: group.name,
        tags: { 'sgops/app': `app-${suffix}` },
      });
      expect(byName.groups.map((g) => g.id)).toEqual([group.id]);
      expect(byName.totalCount).toBe(1);
    });

    it('refuses an unknown security group id with CLOUD_NOT_FOUND', async () => {
      const error = await failure(network.describeSecurityGroups({ ids: ['sg-zz0000zz'] }));
      expect(error.code).toBe('CLOUD_NOT_FOUND');
      expect(error.details.requestId).toEqual(expect.any(String));
    });

    it('starts a new group with no rules, appends and inserts rules, and grows the version per write', async () => {
      const group = await newGroup('contract-rules');
      const empty = await network.describeSecurityGroupPolicies(group.id);
      expect(empty.ruleSet.ingress).toEqual([]);
      expect(empty.ruleSet.egress).toEqual([]);

      const udp: Rule = { protocol: 'UDP', port: '53', peer: { cidr: '10.0.0.0/16' }, action: 'ACCEPT' };
      const tcp: Rule = { protocol: 'TCP', port: '53', peer: { cidr: '10.0.0.0/16' }, action: 'ACCEPT' };
      const drop: Rule = { protocol: 'ALL', port: 'ALL', peer: { cidr: '0.0.0.0/0' }, action: 'DROP' };
      await network.createSecurityGroupPolicies({
        securityGroupId: group.id,
        direction: 'ingress',
        rules: [drop],
      });
      await network.createSecurityGroupPolicies({
        securityGroupId: group.id,
        direction: 'ingress',
        rules: [udp, tcp],
        index: 0,
      });
      const { ruleSet } = await network.describeSecurityGroupPolicies(group.id);
      expect(ruleSet.ingress).toEqual([
        { ...udp, index: 0 },
        { ...tcp, index: 1 },
        { ...drop, index: 2 },
      ]);
      expect(Number(ruleSet.version)).toBeGreaterThan(Number(empty.ruleSet.version));
    });

    it('refuses a write with a stale version as a retryable CLOUD_VERSION_MISMATCH', async () => {
      const group = await newGroup('contract-version');
      const { ruleSet } = await network.describeSecurityGroupPolicies(group.id);
      const egress: Rule = { protocol: 'ALL', port: 'ALL', peer: { cidr: '0.0.0.0/0' }, action: 'ACCEPT' };
      await network.createSecurityGroupPolicies({
        securityGroupId: group.id,
        direction: 'egress',
        rules: [egress],
        version: ruleSet.version,
      });
      const error = await failure(
        network.createSecurityGroupPolicies({
          securityGroupId: group.id,
          direction: 'egress',
          rules: [{ ...egress, peer: { cidr: '10.0.0.0/8' } }],
          version: ruleSet.version,
        }),
      );
      expect(error.code).toBe('CLOUD_VERSION_MISMATCH');
      expect(error.retryable).toBe(true);
    });

    it('refuses a rule that is already there with CLOUD_DUPLICATE_RULE', async () => {
      const group = await newGroup('contract-duplicate');
      const rule: Rule = {
        protocol: 'TCP',
        port: '443',
        peer: { cidr: '10.1.0.0/16' },
        action: 'ACCEPT',
        description: 'a',
      };
      await network.createSecurityGroupPolicies({
        securityGroupId: group.id,
        direction: 'ingress',
        rules: [rule],
      });
      const error = await failure(
        network.createSecurityGroupPolicies({
          securityGroupId: group.id,
          direction: 'ingress',
          rules: [{ ...rule, description: 'same rule, other words' }],
        }),
      );
      expect(error.code).toBe('CLOUD_DUPLICATE_RULE');
    });

    it('deletes exactly the rules named by content and keeps the others in order', async () => {
      const group = await newGroup('contract-delete');
      const rules: Rule[] = [
        { protocol: 'TCP', port: '80,443', peer: { cidr: '10.2.0.0/16' }, action: 'ACCEPT' },
        { protocol: 'UDP', port: '8000-8010', peer: { cidr: '10.3.0.0/16' }, action: 'ACCEPT' },
        { protocol: 'ICMP', port: 'ALL', peer: { cidr: '10.4.0.0/16' }, action: 'DROP' },
      ];
      await network.createSecurityGroupPolicies({ securityGroupId: group.id, direction: 'egress', rules });
      await network.deleteSecurityGroupPolicies({
        securityGroupId: group.id,
        direction: 'egress',
        rules: [rules[1] as Rule],
      });
      const { ruleSet } = await network.describeSecurityGroupPolicies(group.id);
      expect(ruleSet.egress).toEqual([
        { ...rules[0], index: 0 },
        { ...rules[2], index: 1 },
      ]);
    });

    it('refuses to delete a group another group still refers to, and deletes it once the reference is gone', async () => {
      const pod = await newGroup('contract-pod');
      const cluster = await newGroup('contract-cluster');
      const dns: Rule = { protocol: 'UDP', port: '53', peer: { securityGroupId: pod.id }, action: 'ACCEPT' };
      await network.createSecurityGroupPolicies({
        securityGroupId: cluster.id,
        direction: 'ingress',
        rules: [dns],
      });
      const { ruleSet } = await network.describeSecurityGroupPolicies(cluster.id);
      expect(ruleSet.ingress).toEqual([{ ...dns, index: 0 }]);

      const referenced = await network.describeSecurityGroupReferences([pod.id, cluster.id]);
      expect(referenced.requestId).not.toBe('');
      expect(referenced.references).toEqual([
        { securityGroupId: pod.id, referredBy: [cluster.id] },
        { securityGroupId: cluster.id, referredBy: [] },
      ]);

      const inUse = await failure(network.deleteSecurityGroup(pod.id));
      expect(inUse.code).toBe('CLOUD_IN_USE');

      await network.deleteSecurityGroupPolicies({
        securityGroupId: cluster.id,
        direction: 'ingress',
        rules: [dns],
      });
      const released = await network.describeSecurityGroupReferences([pod.id]);
      expect(released.references).toEqual([{ securityGroupId: pod.id, referredBy: [] }]);
      const deleted = await network.deleteSecurityGroup(pod.id);
      expect(deleted.requestId).not.toBe('');
      const gone = await failure(network.describeSecurityGroups({ ids: [pod.id] }));
      expect(gone.code).toBe('CLOUD_NOT_FOUND');
    });

    it('refuses references of an unknown group with CLOUD_NOT_FOUND', async () => {
      const error = await failure(network.describeSecurityGroupReferences(['sg-zz0000zz']));
      expect(error.code).toBe('CLOUD_NOT_FOUND');
    });

    it('reports the group quota and the rules-per-group quota, and counts groups in use through totalCount', async () => {
      const before = await network.describeSecurityGroupLimits();
      expect(before.requestId).not.toBe('');
      expect(before.limits.groupLimit).toBeGreaterThan(0);
      expect(before.limits.rulesPerGroupLimit).toBeGreaterThan(0);
      const countBefore = (await network.describeSecurityGroups({ limit: 1 })).totalCount;
      await newGroup('contract-quota');
      const after = await network.describeSecurityGroupLimits();
      // Other work may share the account: at least the group made here is counted.
      expect((await network.describeSecurityGroups({ limit: 1 })).totalCount).toBeGreaterThanOrEqual(
        countBefore + 1,
      );
      expect(after.limits.groupLimit).toBe(before.limits.groupLimit);
    });

    it('refuses to delete a group that does not exist with CLOUD_NOT_FOUND', async () => {
      const error = await failure(network.deleteSecurityGroup('sg-zz0000zz'));
      expect(error.code).toBe('CLOUD_NOT_FOUND');
    });
  });
}
