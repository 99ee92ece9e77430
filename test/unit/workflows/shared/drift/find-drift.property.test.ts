import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../../src/ports/cloud-network.ts';
import type { GrantSpec, StepOutputs } from '../../../../../workflows/grant/types.ts';
import { approvedState } from '../../../../../workflows/shared/drift/approved-state.ts';
import { findDrift } from '../../../../../workflows/shared/drift/find-drift.ts';
import { grantRecord, observedAsApproved, observedGroup } from './drift-fixtures.ts';

const groupId = fc.stringMatching(/^[a-z0-9]{8}$/).map((s) => `sg-${s}`);
const port = fc.oneof(
  fc.integer({ min: 1, max: 65535 }).map(String),
  fc.constant('80,443'),
  fc.constant('8000-8010'),
);
const peer = fc.oneof(
  fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '192.168.1.0/24').map((cidr) => ({ cidr })),
  groupId.map((securityGroupId) => ({ securityGroupId })),
);
const rule: fc.Arbitrary<Rule> = fc.record({
  protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
  port,
  peer,
  action: fc.constantFrom('ACCEPT' as const, 'DROP' as const),
  description: fc.constant('sgops R7K2: asked'),
});

/** Any grant that applied its policy: its own pod group or `using` groups, asked rules, targets. */
const grant = fc
  .record({
    using: fc.uniqueArray(groupId, { minLength: 1, maxLength: 3 }),
    own: fc.boolean(),
    serviceAccount: fc.boolean(),
    egress: fc.array(rule, { maxLength: 3 }),
    extraIngress: fc.array(rule, { maxLength: 3 }),
    targets: fc.uniqueArray(
      fc.record({
        securityGroupId: groupId,
        rules: fc.array(
          rule.map(({ peer: _peer, ...r }) => r),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { selector: (t) => t.securityGroupId, maxLength: 2 },
    ),
  })
  .map(({ using, own, serviceAccount, egress, extraIngress, targets }) => {
    const spec: Partial<GrantSpec> = {
      egress,
      extraIngress,
      targetGroups: targets,
      ...(own ? {} : { groups: { kind: 'existing', ids: using } }),
      ...(serviceAccount
        ? { target: { kind: 'serviceAccount', serviceAccount: 'billing' }, podSelector: {} }
        : {}),
    };
    const outputs: Partial<StepOutputs> = {
      ensurePodSecurityGroup: own
        ? { podGroupId: using[0]!, created: true }
        : { podGroupId: using[0]!, created: false, groupIds: using },
    };
    return approvedState(grantRecord(spec, outputs))!;
  });

describe('findDrift, for any approved state', () => {
  it('finds no drift in a world exactly as approved', () => {
    fc.assert(
      fc.property(grant, (approved) => {
        expect(findDrift(approved, observedAsApproved(approved))).toEqual([]);
      }),
    );
  });

  it('finds one missing rule for each approved rule removed, and nothing else', () => {
    const withRemoval = grant.chain((approved) => {
      const all = approved.groups.flatMap((g) =>
        (['ingress', 'egress'] as const).flatMap((direction) =>
          g[direction].map((_, i) => ({ groupId: g.id, direction, i })),
        ),
      );
      return fc.tuple(fc.constant(approved), fc.subarray(all));
    });
    fc.assert(
      fc.property(withRemoval, ([approved, removed]) => {
        const observed = observedAsApproved(approved);
        for (const group of approved.groups) {
          for (const direction of ['ingress', 'egress'] as const) {
            const gone = new Set(
              removed.filter((r) => r.groupId === group.id && r.direction === direction).map((r) => r.i),
            );
            const seen = observedGroup(observed, group.id);
            seen[direction] = seen[direction].filter((_, i) => !gone.has(i));
          }
        }
        const items = findDrift(approved, observed);
        expect(items.every((i) => i.kind === 'ruleMissing')).toBe(true);
        expect(items).toHaveLength(removed.length);
        expect(new Set(items.map((i) => i.key)).size).toBe(removed.length);
      }),
    );
  });
});
