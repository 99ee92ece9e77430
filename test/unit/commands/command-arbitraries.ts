import fc from 'fast-check';
import type {
  AllowRule,
  Command,
  ExplainFlow,
  ExplainTarget,
  GrantOptions,
  GrantTarget,
} from '../../../src/commands/command.ts';
import { maxDurationMs } from '../../../src/domain/parse-duration.ts';

/** Generators of VALID values and commands, for the grammar's round-trip properties. */
export const appName = fc
  .tuple(
    fc.constantFrom(...'abXY09'),
    fc.string({ unit: fc.constantFrom(...'abXY09-_.'), maxLength: 20 }),
    fc.constantFrom(...'abXY09'),
  )
  .map(([a, b, c]) => a + b + c);
export const dnsLabel = fc.oneof(
  fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/),
  // Names spelt like keywords must survive a round trip too.
  fc.constantFrom(
    'cluster',
    'namespace',
    'in',
    'on',
    'for',
    'as',
    'allow',
    'using',
    'because',
    'to',
    'app',
    'sa',
  ),
);
export const clusterId = fc.stringMatching(/^cls-[a-z0-9]{8}$/);
export const sgId = fc.stringMatching(/^sg-[a-z0-9]{8}$/);
export const requestId = fc.stringMatching(/^R[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
export const groupName = fc.stringMatching(/^[A-Za-z0-9._-]{1,60}$/);
/** Free text as people type it: trimmed, not empty, and not starting with a colon. */
export const freeText = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((t) => t.trim() === t && /\S/.test(t) && !/^[:：]/.test(t));

const port = fc.integer({ min: 1, max: 65535 });
export const ports = fc.oneof(
  fc.constant('ALL'),
  port.map(String),
  fc.uniqueArray(port, { minLength: 2, maxLength: 5 }).map((p) => p.join(',')),
  fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
);
export const cidr = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([address, prefix]) => {
    const size = 2 ** (32 - prefix);
    const network = Math.floor(address / size) * size;
    const text = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
    return `${text}/${prefix}`;
  });
export const allowRule: fc.Arbitrary<AllowRule> = fc.oneof(
  fc.record({
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
    ports,
    direction: fc.constantFrom('from' as const, 'to' as const),
    peer: fc.oneof(
      cidr.map((c) => ({ cidr: c })),
      sgId.map((s) => ({ securityGroupId: s })),
    ),
  }),
  fc.record({
    protocol: fc.constantFrom('ICMP' as const, 'ALL' as const),
    ports: fc.constant('ALL'),
    direction: fc.constantFrom('from' as const, 'to' as const),
    peer: fc.oneof(
      cidr.map((c) => ({ cidr: c })),
      sgId.map((s) => ({ securityGroupId: s })),
    ),
  }),
);
/** Whole seconds from 1 s to 90 days, as the grammar produces them. */
export const durationMs = fc.integer({ min: 1, max: maxDurationMs / 1000 }).map((s) => s * 1000);

export const target: fc.Arbitrary<GrantTarget> = fc.oneof(
  appName.map((app) => ({ kind: 'app' as const, app })),
  dnsLabel.map((serviceAccount) => ({ kind: 'serviceAccount' as const, serviceAccount })),
);

const grantOptions: fc.Arbitrary<GrantOptions> = fc.record(
  {
    target,
    namespace: dnsLabel,
    clusterId,
    groups: fc.oneof(
      fc.uniqueArray(sgId, { minLength: 1, maxLength: 4 }).map((ids) => ({ kind: 'existing' as const, ids })),
      groupName.map((name) => ({ kind: 'named' as const, name })),
    ),
    allow: fc
      .uniqueArray(allowRule, { minLength: 1, maxLength: 3, selector: (r) => JSON.stringify(r) })
      .map((rules) => rules),
    durationMs,
    reason: freeText,
  },
  { requiredKeys: ['target'] },
);

/** Pod names: dot-separated DNS labels, and names spelt like the explain grammar's keywords. */
export const podName = fc.oneof(
  fc
    .array(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,12}[a-z0-9])?$/), { minLength: 1, maxLength: 3 })
    .map((labels) => labels.join('.')),
  fc.constantFrom('dns', 'to', 'in', 'on', 'tcp', 'udp', 'icmp', 'app', 'pod', 'sg', 'cluster', '10.0.1.5'),
);
export const ipv4 = fc
  .integer({ min: 0, max: 2 ** 32 - 1 })
  .map((a) => [24, 16, 8, 0].map((s) => Math.floor(a / 2 ** s) % 256).join('.'));
export const explainFlow: fc.Arbitrary<ExplainFlow> = fc.oneof(
  fc.record({
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
    port: fc.integer({ min: 1, max: 65535 }),
  }),
  fc.constant({ protocol: 'ICMP' as const }),
);
export const explainTarget: fc.Arbitrary<ExplainTarget> = fc.oneof(
  sgId.map((securityGroupId) => ({ kind: 'group' as const, securityGroupId })),
  fc.record(
    { kind: fc.constant('app' as const), app: appName, namespace: dnsLabel },
    { requiredKeys: ['kind', 'app'] },
  ),
  fc.record(
    { kind: fc.constant('pod' as const), pod: podName, namespace: dnsLabel },
    { requiredKeys: ['kind', 'pod'] },
  ),
  ipv4.map((ip) => ({ kind: 'ip' as const, ip })),
  cidr.map((c) => ({ kind: 'cidr' as const, cidr: c })),
  fc.constant({ kind: 'dns' as const }),
);
export const explain = fc
  .record(
    {
      kind: fc.constant('explain' as const),
      source: fc.oneof(
        appName.map((app) => ({ kind: 'app' as const, app })),
        podName.map((pod) => ({ kind: 'pod' as const, pod })),
      ),
      namespace: dnsLabel,
      clusterId,
      target: explainTarget,
      flow: explainFlow,
    },
    { requiredKeys: ['kind', 'source', 'target'] },
  )
  // DNS is always UDP and TCP 53: a dns explain carries no flow.
  .map((c): Extract<Command, { kind: 'explain' }> => {
    if (c.target.kind !== 'dns' || c.flow === undefined) return c;
    const { flow: _flow, ...rest } = c;
    return rest;
  });

export const command: fc.Arbitrary<Command> = fc.oneof(
  grantOptions.map((o) => ({ kind: 'grant' as const, ...o })),
  grantOptions.map((o) => ({ kind: 'plan' as const, ...o })),
  fc.record(
    { kind: fc.constant('revoke' as const), target, namespace: dnsLabel, clusterId, reason: freeText },
    { requiredKeys: ['kind', 'target'] },
  ),
  fc.record({ kind: fc.constant('status' as const), requestId }),
  fc.record(
    { kind: fc.constant('statusApp' as const), app: appName, namespace: dnsLabel },
    { requiredKeys: ['kind', 'app'] },
  ),
  fc.record(
    { kind: fc.constant('statusPolicies' as const), namespace: dnsLabel },
    { requiredKeys: ['kind'] },
  ),
  fc.record({
    kind: fc.constant('requests' as const),
    filter: fc.constantFrom('mine' as const, 'pending' as const, 'all' as const),
  }),
  fc.record(
    { kind: fc.constant('approve' as const), requestId, comment: freeText },
    { requiredKeys: ['kind', 'requestId'] },
  ),
  fc.record({ kind: fc.constant('deny' as const), requestId, reason: freeText }),
  fc.record({
    kind: fc.constantFrom(
      'cancel' as const,
      'retry' as const,
      'rollback' as const,
      'repair' as const,
      'audit' as const,
    ),
    requestId,
  }),
  explain,
  fc.record(
    {
      kind: fc.constant('help' as const),
      topic: fc.constantFrom(
        'grant',
        'plan',
        'revoke',
        'status',
        'requests',
        'approve',
        'deny',
        'cancel',
        'retry',
        'rollback',
        'repair',
        'audit',
        'explain',
        'help',
      ),
    },
    { requiredKeys: ['kind'] },
  ),
);
