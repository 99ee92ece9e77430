import { describe, expect, it } from 'vitest';
import { addressRange } from '../../../../src/domain/reachability/address-range.ts';
import type { GroupRules, PeerFacts } from '../../../../src/domain/reachability/evaluate-rules.ts';
import { evaluateRules } from '../../../../src/domain/reachability/evaluate-rules.ts';
import type { Flow } from '../../../../src/domain/reachability/flow.ts';
import { parseFlow } from '../../../../src/domain/reachability/flow.ts';
import { group, rule } from './rule-fixtures.ts';

const A = 'sg-aaaaaaaa';
const B = 'sg-bbbbbbbb';
const C = 'sg-cccccccc';

interface Case {
  /** What the case shows, as a sentence. */
  name: string;
  /** Each group's ingress rules, groups in binding order. */
  groups: string[][];
  flow: string;
  /** The peer's address (IP or CIDR; absent: unknown) and groups (absent: unknown). */
  from?: string;
  member?: string[];
  expected: 'allow' | 'deny' | 'unknown';
  /** `g:i` — group position and PolicyIndex of the deciding rule; absent: no single rule decided. */
  by?: string;
}

const ip = '10.0.1.5';
const cases: Case[] = [
  // Ports: one, list, range, ALL
  {
    name: 'a single port matches that port',
    groups: [['ACCEPT TCP 3306 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a single port does not match another port',
    groups: [['ACCEPT TCP 3306 0.0.0.0/0']],
    flow: 'tcp:3307',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'a list matches its first port',
    groups: [['ACCEPT TCP 80,443 0.0.0.0/0']],
    flow: 'tcp:80',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a list matches its last port',
    groups: [['ACCEPT TCP 80,443 0.0.0.0/0']],
    flow: 'tcp:443',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a list does not match a port between its ports',
    groups: [['ACCEPT TCP 80,443 0.0.0.0/0']],
    flow: 'tcp:81',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'a range includes its low end',
    groups: [['ACCEPT TCP 8000-8010 0.0.0.0/0']],
    flow: 'tcp:8000',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a range includes its high end',
    groups: [['ACCEPT TCP 8000-8010 0.0.0.0/0']],
    flow: 'tcp:8010',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a range includes a port inside it',
    groups: [['ACCEPT TCP 8000-8010 0.0.0.0/0']],
    flow: 'tcp:8005',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a range excludes the port just below it',
    groups: [['ACCEPT TCP 8000-8010 0.0.0.0/0']],
    flow: 'tcp:7999',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'a range excludes the port just above it',
    groups: [['ACCEPT TCP 8000-8010 0.0.0.0/0']],
    flow: 'tcp:8011',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'port ALL matches any port',
    groups: [['ACCEPT TCP ALL 0.0.0.0/0']],
    flow: 'tcp:65535',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'port all is read case-leniently',
    groups: [['ACCEPT UDP all 0.0.0.0/0']],
    flow: 'udp:1',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  // Protocols
  {
    name: 'a TCP rule does not match UDP on the same port',
    groups: [['ACCEPT TCP 53 0.0.0.0/0']],
    flow: 'udp:53',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'a UDP rule matches UDP',
    groups: [['ACCEPT UDP 53 0.0.0.0/0']],
    flow: 'udp:53',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'protocol ALL matches TCP',
    groups: [['ACCEPT ALL ALL 0.0.0.0/0']],
    flow: 'tcp:22',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'protocol ALL matches ICMP',
    groups: [['ACCEPT ALL ALL 0.0.0.0/0']],
    flow: 'icmp',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'an ICMP rule matches ICMP',
    groups: [['ACCEPT ICMP ALL 10.0.0.0/8']],
    flow: 'icmp',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'an ICMP rule does not match TCP',
    groups: [['ACCEPT ICMP ALL 0.0.0.0/0']],
    flow: 'tcp:80',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'an ICMPV6 rule does not match IPv4 ICMP',
    groups: [['ACCEPT ICMPV6 ALL ::/0']],
    flow: 'icmp',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'a GRE rule matches none of TCP, UDP or ICMP',
    groups: [['ACCEPT GRE ALL 0.0.0.0/0']],
    flow: 'icmp',
    from: ip,
    member: [],
    expected: 'deny',
  },
  {
    name: 'a TCP rule with ports matches no ICMP packet',
    groups: [['DROP TCP 80 0.0.0.0/0', 'ACCEPT ICMP ALL 0.0.0.0/0']],
    flow: 'icmp',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:1',
  },
  // CIDR peers
  {
    name: '0.0.0.0/0 matches any address',
    groups: [['ACCEPT TCP 80 0.0.0.0/0']],
    flow: 'tcp:80',
    from: '203.0.113.7',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: '0.0.0.0/0 matches even an unknown address',
    groups: [['ACCEPT TCP 80 0.0.0.0/0']],
    flow: 'tcp:80',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a /8 contains an address inside it',
    groups: [['ACCEPT TCP 80 10.0.0.0/8']],
    flow: 'tcp:80',
    from: '10.255.0.1',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a /8 does not contain an address outside it',
    groups: [['ACCEPT TCP 80 10.0.0.0/8']],
    flow: 'tcp:80',
    from: '11.0.0.1',
    member: [],
    expected: 'deny',
  },
  {
    name: 'a /32 matches exactly its address',
    groups: [['ACCEPT TCP 80 10.0.1.5/32']],
    flow: 'tcp:80',
    from: '10.0.1.5',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a /32 does not match the next address',
    groups: [['ACCEPT TCP 80 10.0.1.5/32']],
    flow: 'tcp:80',
    from: '10.0.1.6',
    member: [],
    expected: 'deny',
  },
  {
    name: 'a bare address is a /32',
    groups: [['ACCEPT TCP 80 10.0.1.5']],
    flow: 'tcp:80',
    from: '10.0.1.5',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a block wholly inside the rule matches',
    groups: [['ACCEPT TCP 80 10.0.0.0/16']],
    flow: 'tcp:80',
    from: '10.0.4.0/24',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a block only partly inside the rule cannot be decided',
    groups: [['ACCEPT TCP 80 10.0.0.0/24']],
    flow: 'tcp:80',
    from: '10.0.0.0/16',
    member: [],
    expected: 'unknown',
    by: '0:0',
  },
  {
    name: 'a CIDR rule with an unknown peer address cannot be decided',
    groups: [['DROP TCP 80 10.0.0.0/8']],
    flow: 'tcp:80',
    member: [],
    expected: 'unknown',
    by: '0:0',
  },
  {
    name: 'an IPv6 block never matches an IPv4 peer',
    groups: [['ACCEPT TCP 80 ::/0']],
    flow: 'tcp:80',
    from: ip,
    member: [],
    expected: 'deny',
  },
  // Group-id peers
  {
    name: 'a group peer matches a member of that group',
    groups: [[`ACCEPT TCP 3306 ${B}`]],
    flow: 'tcp:3306',
    from: ip,
    member: [B],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a group peer matches a member of several groups',
    groups: [[`ACCEPT TCP 3306 ${B}`]],
    flow: 'tcp:3306',
    from: ip,
    member: [C, B],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a group peer does not match a non-member, whatever its address',
    groups: [[`ACCEPT TCP 3306 ${B}`]],
    flow: 'tcp:3306',
    from: ip,
    member: [C],
    expected: 'deny',
  },
  {
    name: 'a group may name itself',
    groups: [[`ACCEPT ALL ALL ${A}`]],
    flow: 'tcp:9000',
    from: ip,
    member: [A],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a group peer with unknown peer groups cannot be decided',
    groups: [[`ACCEPT TCP 3306 ${B}`]],
    flow: 'tcp:3306',
    from: ip,
    expected: 'unknown',
    by: '0:0',
  },
  {
    name: 'an address outside the VPC is in no group',
    groups: [[`ACCEPT TCP 3306 ${B}`, 'DROP ALL ALL 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: '8.8.8.8',
    member: [],
    expected: 'deny',
    by: '0:1',
  },
  // Order and first match
  {
    name: 'a DROP before an ACCEPT denies',
    groups: [['DROP TCP 3306 0.0.0.0/0', `ACCEPT TCP 3306 ${B}`]],
    flow: 'tcp:3306',
    from: ip,
    member: [B],
    expected: 'deny',
    by: '0:0',
  },
  {
    name: 'an ACCEPT before a DROP allows',
    groups: [[`ACCEPT TCP 3306 ${B}`, 'DROP ALL ALL 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: ip,
    member: [B],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'rules that do not match are passed over to a later DROP',
    groups: [['ACCEPT TCP 80 0.0.0.0/0', 'ACCEPT UDP 3306 0.0.0.0/0', 'DROP ALL ALL 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: ip,
    member: [],
    expected: 'deny',
    by: '0:2',
  },
  {
    name: 'an earlier rule decides before an undecidable later one',
    groups: [['ACCEPT TCP 80 0.0.0.0/0', 'DROP TCP 80 10.0.0.0/8']],
    flow: 'tcp:80',
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'an undecidable rule before a decisive one makes the outcome unknown',
    groups: [['DROP TCP 80 10.0.0.0/8', 'ACCEPT TCP 80 0.0.0.0/0']],
    flow: 'tcp:80',
    member: [],
    expected: 'unknown',
    by: '0:0',
  },
  { name: 'no rule at all denies', groups: [[]], flow: 'tcp:80', from: ip, member: [], expected: 'deny' },
  {
    name: 'no matching rule denies',
    groups: [['ACCEPT TCP 22 0.0.0.0/0']],
    flow: 'tcp:80',
    from: ip,
    member: [],
    expected: 'deny',
  },
  { name: 'no group at all denies', groups: [], flow: 'tcp:80', from: ip, member: [], expected: 'deny' },
  // Several groups in binding order
  {
    name: 'a DROP in the first group beats an ACCEPT in the second',
    groups: [['DROP TCP 3306 0.0.0.0/0'], ['ACCEPT TCP 3306 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: ip,
    member: [],
    expected: 'deny',
    by: '0:0',
  },
  {
    name: 'an ACCEPT in the first group beats a DROP in the second',
    groups: [['ACCEPT TCP 3306 0.0.0.0/0'], ['DROP ALL ALL 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: ip,
    member: [],
    expected: 'allow',
    by: '0:0',
  },
  {
    name: 'a first group that matches nothing passes on to the second',
    groups: [['ACCEPT TCP 22 0.0.0.0/0'], ['ACCEPT TCP 3306 10.0.0.0/8']],
    flow: 'tcp:3306',
    from: ip,
    member: [],
    expected: 'allow',
    by: '1:0',
  },
  {
    name: 'the second group decides with its own PolicyIndex',
    groups: [['ACCEPT UDP 53 0.0.0.0/0'], ['ACCEPT TCP 22 0.0.0.0/0', 'DROP TCP 3306 0.0.0.0/0']],
    flow: 'tcp:3306',
    from: ip,
    member: [],
    expected: 'deny',
    by: '1:1',
  },
  {
    name: 'no match in any of three groups denies',
    groups: [['ACCEPT TCP 1 0.0.0.0/0'], ['ACCEPT TCP 2 0.0.0.0/0'], ['ACCEPT TCP 3 0.0.0.0/0']],
    flow: 'tcp:4',
    from: ip,
    member: [],
    expected: 'deny',
  },
];

const ids = [A, B, C];
const peerOf = (c: Case): PeerFacts => {
  const address = c.from === undefined ? undefined : addressRange(c.from);
  return {
    ...(address === undefined ? {} : { address }),
    ...(c.member === undefined ? {} : { groups: c.member }),
  };
};

describe('evaluateRules: Tencent Cloud security-group semantics, one table', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name', (c) => {
    const groups: GroupRules[] = c.groups.map((texts, i) =>
      group(ids[i] ?? `sg-x000000${i}`, 'ingress', texts),
    );
    const decision = evaluateRules(groups, 'ingress', parseFlow(c.flow) as Flow, peerOf(c));
    expect(decision.outcome).toBe(c.expected);
    if (c.by === undefined) {
      expect(decision.by).toBe('noMatch');
      return;
    }
    const [g, i] = c.by.split(':').map(Number);
    expect(decision.by === 'rule' || decision.by === 'undecidedRule').toBe(true);
    if (decision.by !== 'rule' && decision.by !== 'undecidedRule') return;
    expect(decision.deciding.groupId).toBe(groups[g!]!.id);
    expect(decision.deciding.rule.index).toBe(i);
    expect(decision.deciding.direction).toBe('ingress');
  });
});

describe('evaluateRules around the table', () => {
  const flow: Flow = { protocol: 'TCP', port: 3306 };
  const peer: PeerFacts = { address: addressRange('10.0.1.5')!, groups: [] };

  it('orders rules by PolicyIndex, not by their place in the list it was given', () => {
    const g: GroupRules = {
      id: A,
      rules: {
        ingress: [rule('ACCEPT TCP 3306 0.0.0.0/0', 1), rule('DROP TCP 3306 0.0.0.0/0', 0)],
        egress: [],
      },
    };
    const decision = evaluateRules([g], 'ingress', flow, peer);
    expect(decision).toMatchObject({ outcome: 'deny', by: 'rule', deciding: { rule: { index: 0 } } });
  });

  it('looks only at the direction asked for', () => {
    const g: GroupRules = { id: A, rules: { ingress: [rule('ACCEPT ALL ALL 0.0.0.0/0', 0)], egress: [] } };
    expect(evaluateRules([g], 'egress', flow, peer)).toEqual({
      outcome: 'deny',
      by: 'noMatch',
      groupIds: [A],
    });
  });

  it('says unknown, naming the group, when a group it must read is unreadable', () => {
    const groups: GroupRules[] = [
      group(A, 'ingress', ['ACCEPT TCP 22 0.0.0.0/0']),
      { id: B, name: 'orders-db', rules: 'unreadable' },
    ];
    expect(evaluateRules(groups, 'ingress', flow, peer)).toEqual({
      outcome: 'unknown',
      by: 'unreadableGroup',
      groupId: B,
      groupName: 'orders-db',
    });
  });

  it('still decides when the unreadable group comes after the deciding rule', () => {
    const groups: GroupRules[] = [
      group(A, 'ingress', ['DROP TCP 3306 0.0.0.0/0']),
      { id: B, rules: 'unreadable' },
    ];
    expect(evaluateRules(groups, 'ingress', flow, peer).outcome).toBe('deny');
  });

  it('treats a group that no longer exists as holding no rules', () => {
    const groups: GroupRules[] = [
      { id: A, rules: 'missing' },
      group(B, 'ingress', ['ACCEPT TCP 3306 0.0.0.0/0']),
    ];
    expect(evaluateRules(groups, 'ingress', flow, peer)).toMatchObject({
      outcome: 'allow',
      deciding: { groupId: B },
    });
  });

  it('reads protocol and action case-leniently, as the API takes them', () => {
    const g: GroupRules = {
      id: A,
      rules: {
        ingress: [
          {
            index: 0,
            protocol: 'tcp' as 'TCP',
            port: '3306',
            peer: { cidr: '0.0.0.0/0' },
            action: 'drop' as 'DROP',
          },
        ],
        egress: [],
      },
    };
    expect(evaluateRules([g], 'ingress', flow, peer).outcome).toBe('deny');
  });
});
