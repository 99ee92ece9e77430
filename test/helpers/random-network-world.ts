/**
 * Random worlds for checking `explain` against the simulator's network model: a few security
 * groups with rules in random order (ACCEPT/DROP; TCP, UDP, ALL and ICMP; one port, a range, a list
 * or ALL; CIDR peers, a /32 of a real pod's IP, or a group id), apps bound to random groups in random
 * order (or to none, or by a policy made after their pods), pods on super and normal nodes, and the
 * (source pod, target, port) questions to ask. Pure data: test/helpers/build-network-world.ts makes
 * it real through the SDK and kubectl.
 */
import fc from 'fast-check';

/** The ports the targets serve and the questions ask about (9000 is served by no pod). */
export const portPool = [80, 443, 3306, 8080] as const;
export const askedPorts = [...portPool, 9000] as const;

const portSpecs = [
  'ALL',
  '80',
  '443',
  '3306',
  '8080',
  '80-443',
  '443-3306',
  '3000-9000',
  '1-100',
  '80,8080',
  '443,3306',
  '80,443,3306',
] as const;

/** Blocks around the simulator's addresses: super-node pods 10.0.64.x, normal-node pods 10.0.0.x. */
const cidrs = [
  '0.0.0.0/0',
  '0.0.0.0/0',
  '10.0.0.0/16',
  '10.0.0.0/16',
  '10.0.64.0/18',
  '10.0.0.0/24',
  '10.0.64.0/24',
  '172.16.0.0/16',
  '192.168.0.0/16',
] as const;

/**
 * A rule's peer: a block, the /32 of the n-th pod of the world (modulo their number; its address is
 * known only once the pods run, so those rules are inserted afterwards, at a random PolicyIndex), or
 * the n-th group of the world (modulo one more than their number: the last is the cluster group).
 */
export type PeerSpec = { cidr: string } | { podIp: number } | { group: number };

export interface RuleSpec {
  action: 'ACCEPT' | 'DROP';
  protocol: 'TCP' | 'UDP' | 'ALL' | 'ICMP';
  /** Only TCP and UDP rules carry one. */
  port?: string;
  peer: PeerSpec;
  /** Where a late (/32) rule is inserted: this modulo one more than the rules there. */
  at: number;
}

export interface GroupSpec {
  ingress: RuleSpec[];
  egress: RuleSpec[];
}

export type Node = 'super' | 'normal';

export interface AppSpec {
  /** The world's groups its policy binds, in binding order; null: no policy selects it. */
  binding: number[] | null;
  /** The policy is made after the pods run, so they keep no groups of their own. */
  late: boolean;
  pods: Node[];
  /** The containerPorts its pods declare (nginx serves 80 besides). */
  ports: number[];
}

export interface QuestionSpec {
  /** The n-th source pod (modulo their number). */
  source: number;
  target: 'pod' | 'app' | 'ip' | 'group';
  /** The n-th target pod or app (modulo their number). */
  pick: number;
  port: number;
}

export interface WorldSpec {
  groups: GroupSpec[];
  sources: AppSpec[];
  targets: AppSpec[];
  /** The group a pod of its own is bound to alone: what a group target stands for. */
  groupTarget: number;
  questions: QuestionSpec[];
}

const peer: fc.Arbitrary<PeerSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...cidrs).map((cidr) => ({ cidr })) },
  { weight: 2, arbitrary: fc.nat(30).map((podIp) => ({ podIp })) },
  { weight: 3, arbitrary: fc.nat(30).map((group) => ({ group })) },
);

const rule: fc.Arbitrary<RuleSpec> = fc
  .record({
    action: fc.constantFrom('ACCEPT' as const, 'ACCEPT' as const, 'ACCEPT' as const, 'DROP' as const),
    protocol: fc.constantFrom(
      'TCP' as const,
      'TCP' as const,
      'UDP' as const,
      'ALL' as const,
      'ICMP' as const,
    ),
    port: fc.constantFrom(...portSpecs),
    peer,
    at: fc.nat(20),
  })
  .map(({ port, ...r }) => (r.protocol === 'TCP' || r.protocol === 'UDP' ? { ...r, port } : r));

const rules = fc.array(rule, { maxLength: 6 });

const app = (groups: number): fc.Arbitrary<AppSpec> =>
  fc.record({
    binding: fc.option(
      fc.shuffledSubarray(
        Array.from({ length: groups }, (_, i) => i),
        { minLength: 1 },
      ),
      { freq: 5 },
    ),
    late: fc.nat(5).map((n) => n === 0),
    pods: fc.array(fc.constantFrom<Node>('super', 'super', 'normal'), { minLength: 1, maxLength: 2 }),
    ports: fc.subarray([...portPool]),
  });

export const worldSpec: fc.Arbitrary<WorldSpec> = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.record({
    groups: fc.array(fc.record({ ingress: rules, egress: rules }), { minLength: n, maxLength: n }),
    sources: fc.array(app(n), { minLength: 1, maxLength: 2 }),
    targets: fc.array(app(n), { minLength: 1, maxLength: 2 }),
    groupTarget: fc.nat(n - 1),
    questions: fc.array(
      fc.record({
        source: fc.nat(10),
        target: fc.constantFrom('pod' as const, 'app' as const, 'ip' as const, 'group' as const),
        pick: fc.nat(10),
        port: fc.constantFrom(...askedPorts),
      }),
      { minLength: 3, maxLength: 3 },
    ),
  }),
);
