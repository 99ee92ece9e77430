import { describe, expect, it } from 'vitest';
import type { Direction, IndexedRule } from '../../../../../src/ports/cloud-network.ts';
import { approvedState } from '../../../../../workflows/shared/drift/approved-state.ts';
import type { DriftItem, ObservedState } from '../../../../../workflows/shared/drift/drift-item.ts';
import {
  driftFingerprint,
  findDrift,
  restorePlan,
} from '../../../../../workflows/shared/drift/find-drift.ts';
import {
  byHand,
  clusterGroupId,
  grantRecord,
  observedAsApproved,
  observedGroup,
  podGroupId,
  requestId,
} from './drift-fixtures.ts';

const approved = approvedState(
  grantRecord({
    targetGroups: [
      { securityGroupId: 'sg-db000001', rules: [{ protocol: 'TCP', port: '3306', action: 'ACCEPT' }] },
    ],
  }),
)!;

/** The world as approved, changed by `edit` the way a person would. */
function observedAfter(edit: (observed: ObservedState) => void): ObservedState {
  const observed = observedAsApproved(approved);
  edit(observed);
  return observed;
}

/** Removes the rules `drop` picks from one group's direction. */
function deleteRules(
  observed: ObservedState,
  groupId: string,
  direction: Direction,
  drop: (rule: IndexedRule) => boolean,
) {
  const group = observedGroup(observed, groupId);
  group[direction] = group[direction].filter((r) => !drop(r));
}

const english = (items: DriftItem[]) => items.map((i) => i.said.en);
const chinese = (items: DriftItem[]) => items.map((i) => i.said.zh);

describe('findDrift', () => {
  it("finds exactly the two DNS rules the seed's step 8 deletes from the cluster group, and names them as DNS rules", () => {
    const items = findDrift(
      approved,
      observedAfter((o) => deleteRules(o, clusterGroupId, 'ingress', (r) => r.port === '53')),
    );
    expect(items.map((i) => i.kind)).toEqual(['ruleMissing', 'ruleMissing']);
    expect(english(items)).toEqual([
      `The DNS rule UDP 53 from ${podGroupId} is missing from the cluster group ${clusterGroupId}.`,
      `The DNS rule TCP 53 from ${podGroupId} is missing from the cluster group ${clusterGroupId}.`,
    ]);
    expect(chinese(items)).toEqual([
      `集群安全组 ${clusterGroupId} 中缺少来自 ${podGroupId} 的 DNS 规则 UDP 53。`,
      `集群安全组 ${clusterGroupId} 中缺少来自 ${podGroupId} 的 DNS 规则 TCP 53。`,
    ]);
    const plan = restorePlan(approved, items);
    expect(plan.rules).toEqual([
      {
        groupId: clusterGroupId,
        direction: 'ingress',
        rules: [
          expect.objectContaining({ protocol: 'UDP', port: '53', peer: { securityGroupId: podGroupId } }),
          expect.objectContaining({ protocol: 'TCP', port: '53', peer: { securityGroupId: podGroupId } }),
        ],
      },
    ]);
    expect(plan.rules[0]!.rules.every((r) => r.description === `sgops ${requestId}: DNS from pods`)).toBe(
      true,
    );
    expect(plan).toMatchObject({ applyPolicy: false, recreatePods: [], leftInPlace: [] });
  });

  it('reports a deleted SecurityGroupPolicy, and the repair applies it again', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => (o.policy = null)),
    );
    expect(items).toEqual([
      expect.objectContaining({ kind: 'policyMissing', namespace: 'shop', name: 'sgops-api' }),
    ]);
    expect(english(items)[0]).toBe(
      'The SecurityGroupPolicy sgops-api in shop is gone: new pods of the app get no security group.',
    );
    expect(restorePlan(approved, items)).toMatchObject({ applyPolicy: true, rules: [] });
  });

  it('reports a selector edited by hand with what it selects now and what it should', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => (o.policy!.podSelector = { matchLabels: { app: 'api-v2' } })),
    );
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'policyChanged',
        what: 'selector',
        expected: 'podSelector app=api',
        found: 'podSelector app=api-v2',
      }),
    ]);
    expect(restorePlan(approved, items).applyPolicy).toBe(true);
  });

  it('reports a policy whose groups were changed', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => (o.policy!.groupIds = ['sg-other001'])),
    );
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'policyChanged',
        what: 'groups',
        expected: podGroupId,
        found: 'sg-other001',
      }),
    ]);
  });

  it('reports a rule added by hand to the pod group as changed outside sgops, and the repair leaves it in place', () => {
    const ssh = byHand({ protocol: 'TCP', port: '22', peer: { cidr: '0.0.0.0/0' }, description: 'debug' });
    const items = findDrift(
      approved,
      observedAfter((o) => observedGroup(o, podGroupId).ingress.push({ ...ssh, index: 2 })),
    );
    expect(items).toEqual([
      expect.objectContaining({ kind: 'ruleAdded', groupId: podGroupId, direction: 'ingress', rule: ssh }),
    ]);
    expect(english(items)[0]).toBe(
      `The pod group ${podGroupId} has an ingress rule TCP 22 from 0.0.0.0/0 that sgops did not write: it was added or changed outside sgops, and stays until a person decides.`,
    );
    const plan = restorePlan(approved, items);
    expect(plan.rules).toEqual([]);
    expect(plan.leftInPlace.map((i) => i.rule)).toEqual([ssh]);
  });

  it('takes a rule edited in place for the approved one missing and another added', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => {
        const egress = observedGroup(o, podGroupId).egress;
        // The console's edit keeps the rule's description and index; only what it admits changes.
        egress[0] = { ...egress[0]!, protocol: 'TCP', port: '443' };
      }),
    );
    expect(items.map((i) => `${i.kind} ${'direction' in i ? i.direction : ''}`)).toEqual([
      'ruleMissing egress',
      'ruleAdded egress',
    ]);
    expect(english(items)).toEqual([
      `The egress rule ALL to 0.0.0.0/0 is missing from the pod group ${podGroupId}.`,
      `The pod group ${podGroupId} has an egress rule TCP 443 to 0.0.0.0/0 that sgops did not write: it was added or changed outside sgops, and stays until a person decides.`,
    ]);
    const plan = restorePlan(approved, items);
    expect(plan.rules).toEqual([
      { groupId: podGroupId, direction: 'egress', rules: [approved.groups[0]!.egress[0]!.rule] },
    ]);
    expect(plan.leftInPlace).toHaveLength(1);
  });

  it('does not take a rule another grant of sgops wrote into the shared pod group for one added by hand', () => {
    const items = findDrift(
      approved,
      observedAfter((o) =>
        observedGroup(o, podGroupId).ingress.push({
          protocol: 'TCP',
          port: '9000',
          peer: { cidr: '10.0.0.0/8' },
          action: 'ACCEPT',
          description: 'sgops R9ZZ: allow tcp:9000 from',
          index: 2,
        }),
      ),
    );
    expect(items).toEqual([]);
  });

  it('reports a pod on a normal node without the group, and the repair recreates only that pod', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => {
        o.pods = [
          {
            name: 'api-1',
            nodeName: 'eklet-1',
            superNode: true,
            securityGroupIds: [podGroupId],
            ready: true,
          },
          { name: 'api-2', nodeName: 'node-a', superNode: false, securityGroupIds: [], ready: true },
        ];
      }),
    );
    expect(items).toEqual([
      expect.objectContaining({ kind: 'podWithoutGroup', pod: 'api-2', node: 'node-a', superNode: false }),
    ]);
    expect(english(items)[0]).toBe(
      `Pod api-2 on node-a runs without the security group ${podGroupId}: it runs on node-a, a normal node, not a super node.`,
    );
    expect(chinese(items)[0]).toBe(
      `Pod api-2（节点 node-a）未绑定安全组 ${podGroupId}：它运行在普通节点 node-a 上，不是超级节点。`,
    );
    expect(restorePlan(approved, items).recreatePods).toEqual(['api-2']);
  });

  it("gives the cluster's event text as the reason when there is one", () => {
    const items = findDrift(
      approved,
      observedAfter((o) => {
        o.pods = [
          {
            name: 'api-3',
            nodeName: 'node-b',
            superNode: false,
            securityGroupIds: [],
            ready: false,
            events: ['security groups is only support super node'],
          },
        ];
      }),
    );
    expect(items[0]).toMatchObject({
      kind: 'podWithoutGroup',
      reason: { en: 'security groups is only support super node' },
    });
  });

  it('says a pod on a super node without the group was created before the policy', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => {
        o.pods = [{ name: 'api-4', nodeName: 'eklet-1', superNode: true, securityGroupIds: [], ready: true }];
      }),
    );
    expect(items[0]).toMatchObject({ reason: { en: 'it was created before the policy' } });
  });

  it("leaves alone other rules in a `using` group: they are its owners' business", () => {
    const using = approvedState(
      grantRecord(
        { groups: { kind: 'existing', ids: ['sg-team0001'] }, egress: [] },
        { ensurePodSecurityGroup: { podGroupId: 'sg-team0001', created: false, groupIds: ['sg-team0001'] } },
      ),
    )!;
    const observed = observedAsApproved(using);
    observedGroup(observed, 'sg-team0001').ingress.push({
      ...byHand({ protocol: 'TCP', port: '22', peer: { cidr: '0.0.0.0/0' } }),
      index: 1,
    });
    observedGroup(observed, 'sg-team0001').egress.push({
      ...byHand({ protocol: 'ALL', port: 'ALL', peer: { cidr: '0.0.0.0/0' } }),
      index: 0,
    });
    expect(findDrift(using, observed)).toEqual([]);

    observedGroup(observed, 'sg-team0001').ingress.shift();
    expect(english(findDrift(using, observed))).toEqual([
      `The kubelet health-check rule (ALL from the cluster group ${clusterGroupId}) is missing from the group sg-team0001.`,
    ]);
  });

  it("reports the target group's ingress rule gone and writes it back with the pod group as peer", () => {
    const items = findDrift(
      approved,
      observedAfter((o) => deleteRules(o, 'sg-db000001', 'ingress', () => true)),
    );
    expect(english(items)).toEqual([
      `The ingress rule TCP 3306 from ${podGroupId} is missing from the group sg-db000001.`,
    ]);
    expect(chinese(items)).toEqual([`安全组 sg-db000001 中缺少来自 ${podGroupId} 的入站规则 TCP 3306。`]);
    expect(restorePlan(approved, items).rules).toEqual([
      {
        groupId: 'sg-db000001',
        direction: 'ingress',
        rules: [
          expect.objectContaining({ protocol: 'TCP', port: '3306', peer: { securityGroupId: podGroupId } }),
        ],
      },
    ]);
  });

  it('reports a group that no longer exists once, and plans no rule into it or naming it', () => {
    const items = findDrift(
      approved,
      observedAfter((o) => {
        o.groups[podGroupId] = null;
        deleteRules(o, clusterGroupId, 'ingress', () => true);
      }),
    );
    expect(items.map((i) => i.kind)).toEqual(['groupMissing', 'ruleMissing', 'ruleMissing']);
    expect(english(items)[0]).toBe(`The pod group ${podGroupId} no longer exists.`);
    expect(restorePlan(approved, items)).toMatchObject({ rules: [], groupsGone: [podGroupId] });
  });

  it('does not judge a group it did not read this time', () => {
    const observed = observedAfter((o) => delete o.groups[clusterGroupId]);
    expect(findDrift(approved, observed)).toEqual([]);
  });

  it("reports the service account's selector label taken off, and the repair puts it back", () => {
    const sa = approvedState(
      grantRecord({
        target: { kind: 'serviceAccount', serviceAccount: 'billing' },
        podSelector: {},
        policyName: 'sgops-sa-billing',
      }),
    )!;
    const observed = observedAsApproved(sa);
    expect(findDrift(sa, observed)).toEqual([]);
    observed.serviceAccountLabels = { team: 'payments' };
    const items = findDrift(sa, observed);
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'labelMissing',
        label: 'sgops/serviceaccount=billing',
        accountGone: false,
      }),
    ]);
    expect(restorePlan(sa, items).labelServiceAccount).toBe(true);
  });

  it('finds nothing when nothing changed, with the same fingerprint every time', () => {
    const items = findDrift(approved, observedAsApproved(approved));
    expect(items).toEqual([]);
    expect(driftFingerprint(items)).toBe(driftFingerprint([]));
    expect(driftFingerprint(findDrift(approved, observedAsApproved(approved)))).toBe(driftFingerprint([]));
    expect(restorePlan(approved, items)).toEqual({
      rules: [],
      applyPolicy: false,
      labelServiceAccount: false,
      recreatePods: [],
      leftInPlace: [],
      groupsGone: [],
    });
  });
});

describe('driftFingerprint', () => {
  const drifted = () =>
    findDrift(
      approved,
      observedAfter((o) => {
        deleteRules(o, clusterGroupId, 'ingress', (r) => r.port === '53');
        o.policy = null;
      }),
    );

  it('is the same for the same drift found in any order', () => {
    const items = drifted();
    expect(items).toHaveLength(3);
    expect(driftFingerprint([...items].reverse())).toBe(driftFingerprint(items));
    expect(driftFingerprint([items[1]!, items[2]!, items[0]!])).toBe(driftFingerprint(items));
  });

  it('changes when the drift changes', () => {
    const items = drifted();
    expect(driftFingerprint(items.slice(1))).not.toBe(driftFingerprint(items));
    expect(driftFingerprint(items)).not.toBe(driftFingerprint([]));
  });

  it('ignores how the pod reason is worded, which may change between sweeps', () => {
    const pods = (events: string[]) =>
      findDrift(
        approved,
        observedAfter((o) => {
          o.pods = [
            { name: 'api-5', nodeName: 'n', superNode: false, securityGroupIds: [], ready: true, events },
          ];
        }),
      );
    expect(driftFingerprint(pods(['first']))).toBe(driftFingerprint(pods(['second'])));
  });
});
