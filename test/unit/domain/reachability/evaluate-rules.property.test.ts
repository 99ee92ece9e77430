/**
 * The evaluator against a naive reference: random rule lists over random groups, where every rule is
 * generated from what it MEANS (a set of ports, a network as a bit string, a group) and printed as the
 * cloud writes it (`80,443`, `8000-8010`, `10.0.0.0/8`). The reference decides from the meaning — flat
 * list of all groups' rules, first whose sets contain the packet — so the evaluator's parsing of port
 * specs and CIDRs and its ordering are checked against an independent reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRange } from '../../../../src/domain/reachability/address-range.ts';
import type { GroupRules } from '../../../../src/domain/reachability/evaluate-rules.ts';
import { evaluateRules } from '../../../../src/domain/reachability/evaluate-rules.ts';
import type { Flow } from '../../../../src/domain/reachability/flow.ts';
import type { IndexedRule, Protocol } from '../../../../src/ports/cloud-network.ts';

const groupIds = ['sg-aaaaaaaa', 'sg-bbbbbbbb', 'sg-cccccccc'];

interface Meaning {
  protocol: Protocol;
  /** undefined: every port. */
  ports?: Set<number>;
  /** The network's leading bits, or a group id. */
  peer: { bits: string } | { group: string };
  accept: boolean;
}

const bitsOf = (octets: number[]) => octets.map((o) => o.toString(2).padStart(8, '0')).join('');
const octetsOf = (bits: string) => [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2));

/** Addresses from a small pool so that rules and packets often meet. */
const octets = fc.tuple(
  fc.constantFrom(10, 192),
  fc.constantFrom(0, 1, 168),
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 7 }),
);

const portsArb: fc.Arbitrary<{ text: string; set?: Set<number> }> = fc.oneof(
  fc.constant({ text: 'ALL' }),
  fc.integer({ min: 1, max: 12 }).map((p) => ({ text: String(p), set: new Set([p]) })),
  fc
    .uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 4 })
    .map((ps) => ({ text: ps.join(','), set: new Set(ps) })),
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 5 })).map(([low, span]) => ({
    text: `${low}-${low + span}`,
    set: new Set(Array.from({ length: span + 1 }, (_, i) => low + i)),
  })),
);

const ruleArb: fc.Arbitrary<{ text: Omit<IndexedRule, 'index'>; meaning: Meaning }> = fc
  .tuple(
    fc.constantFrom<Protocol>('TCP', 'UDP', 'ICMP', 'ALL', 'GRE', 'ICMPV6'),
    portsArb,
    fc.oneof(
      fc.tuple(octets, fc.constantFrom(0, 8, 16, 24, 30, 32)).map(([o, prefix]) => {
        const bits = bitsOf(o).slice(0, prefix);
        return { cidr: `${octetsOf(bits.padEnd(32, '0')).join('.')}/${prefix}`, bits };
      }),
      fc.constantFrom(...groupIds).map((id) => ({ group: id })),
    ),
    fc.boolean(),
  )
  .map(([protocol, ports, peer, accept]) => {
    const tcpUdp = protocol === 'TCP' || protocol === 'UDP';
    const port = tcpUdp ? ports : { text: 'ALL' };
    return {
      text: {
        protocol,
        port: port.text,
        peer: 'group' in peer ? { securityGroupId: peer.group } : { cidr: peer.cidr },
        action: accept ? 'ACCEPT' : 'DROP',
      },
      meaning: {
        protocol,
        ...(port.set === undefined ? {} : { ports: port.set }),
        peer: 'group' in peer ? { group: peer.group } : { bits: peer.bits },
        accept,
      },
    };
  });

const flowArb: fc.Arbitrary<Flow> = fc.oneof(
  fc
    .tuple(fc.constantFrom('TCP' as const, 'UDP' as const), fc.integer({ min: 1, max: 14 }))
    .map(([protocol, port]) => ({ protocol, port })),
  fc.constant({ protocol: 'ICMP' as const }),
);

function reference(groups: Meaning[][], flow: Flow, address: string, member: string[]): 'allow' | 'deny' {
  for (const m of groups.flat()) {
    const protocolOk = m.protocol === 'ALL' || m.protocol === flow.protocol;
    const portOk = flow.protocol === 'ICMP' || m.ports === undefined || m.ports.has(flow.port);
    const peerOk = 'group' in m.peer ? member.includes(m.peer.group) : address.startsWith(m.peer.bits);
    if (protocolOk && portOk && peerOk) return m.accept ? 'allow' : 'deny';
  }
  return 'deny';
}

describe('evaluateRules against a naive reference', () => {
  it('gives the reference verdict for random rules, groups, packets and peers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(ruleArb, { maxLength: 6 }), { maxLength: 3 }),
        flowArb,
        octets,
        fc.subarray(groupIds),
        (generated, flow, peerOctets, member) => {
          const groups: GroupRules[] = generated.map((rules, g) => ({
            id: groupIds[g]!,
            rules: { ingress: rules.map((r, index) => ({ ...r.text, index })), egress: [] },
          }));
          const peerAddress = peerOctets.join('.');
          const decision = evaluateRules(groups, 'ingress', flow, {
            address: addressRange(peerAddress)!,
            groups: member,
          });
          const expected = reference(
            generated.map((rules) => rules.map((r) => r.meaning)),
            flow,
            bitsOf(peerOctets),
            member,
          );
          expect(decision.outcome).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
