/** What a chat line means once parsed; the rest of sgops only ever sees these shapes. */
import type { Locale } from '../domain/locale.ts';
import type { GrantTarget } from '../domain/grant-target.ts';
import type { Flow } from '../domain/reachability/flow.ts';

export type { Locale, GrantTarget };

/**
 * `allow <proto>[:<ports>] from|to <cidr|sg-id>`: `from` adds ingress to the pod group; `to` with a
 * CIDR adds egress to the pod group; `to` with a security group id adds, to THAT group, ingress from
 * the pod group (e.g. a database's group).
 */
export interface AllowRule {
  protocol: 'TCP' | 'UDP' | 'ICMP' | 'ALL';
  /** "ALL", "3306", "80,443" or "8000-8010"; always "ALL" for ICMP and ALL. */
  ports: string;
  direction: 'from' | 'to';
  peer: { cidr: string } | { securityGroupId: string };
}

export interface GrantOptions {
  target: GrantTarget;
  namespace?: string;
  clusterId?: string;
  /** `using sg-a,sg-b` (existing groups, no pod group is created) or `as group <name>` (a named pod group). */
  groups?: { kind: 'existing'; ids: string[] } | { kind: 'named'; name: string };
  allow?: AllowRule[];
  /** `for 8h`: a time-bound grant, revoked automatically. */
  durationMs?: number;
  /** `because <reason…>`: the rest of the line, kept as written. */
  reason?: string;
}

/** Where the packet an `explain` follows starts: the pods of an app (each judged), or one pod. */
export type ExplainSource = { kind: 'app'; app: string } | { kind: 'pod'; pod: string };

/**
 * Where it goes. An app or pod target without its own namespace is in the source's namespace;
 * `dns` is name resolution through the cluster DNS (its protocol and port are fixed).
 */
export type ExplainTarget =
  | { kind: 'group'; securityGroupId: string }
  | { kind: 'app'; app: string; namespace?: string }
  | { kind: 'pod'; pod: string; namespace?: string }
  | { kind: 'ip'; ip: string }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'dns' };

/** One packet's protocol and port, as the evaluator takes it; absent, the caller says what it assumes. */
export type ExplainFlow = Flow;

export type Command =
  | ({ kind: 'grant' } & GrantOptions)
  /** `plan …`: the same as grant, but only the plan; nothing is requested. */
  | ({ kind: 'plan' } & GrantOptions)
  | { kind: 'revoke'; target: GrantTarget; namespace?: string; clusterId?: string; reason?: string }
  | { kind: 'status'; requestId: string }
  | { kind: 'statusApp'; app: string; namespace?: string }
  | { kind: 'statusPolicies'; namespace?: string }
  | { kind: 'requests'; filter: 'mine' | 'pending' | 'all' }
  | { kind: 'approve'; requestId: string; comment?: string }
  | { kind: 'deny'; requestId: string; reason: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'retry'; requestId: string }
  | { kind: 'rollback'; requestId: string }
  /** `repair <id>`: put back what a grant in force made that has drifted (a workflow of its own). */
  | { kind: 'repair'; requestId: string }
  | { kind: 'audit'; requestId: string }
  /**
   * `explain app <app> [in <ns>] [on <cluster>] to <target> [tcp:<port>|udp:<port>|icmp]`, or
   * `… dns`: why a packet is or is not allowed. `namespace` is the source's; never with a flow for dns.
   */
  | {
      kind: 'explain';
      source: ExplainSource;
      namespace?: string;
      clusterId?: string;
      target: ExplainTarget;
      flow?: ExplainFlow;
    }
  | { kind: 'help'; topic?: string };

export type ParseErrorCode = 'unknown_command' | 'malformed' | 'invalid_name';

export type ParseResult =
  | { ok: true; command: Command; locale: Locale }
  | { ok: false; locale: Locale; code: ParseErrorCode; message: string; suggestion: string };

export type ParseFailure = Extract<ParseResult, { ok: false }>;

/** Fields whose syntax is checked; named in invalid_name messages. */
export type FieldName =
  | 'app'
  | 'serviceAccount'
  | 'namespace'
  | 'clusterId'
  | 'requestId'
  | 'securityGroupId'
  | 'groupName'
  | 'protocol'
  | 'ports'
  | 'peer'
  | 'duration'
  | 'filter'
  | 'pod'
  | 'target'
  | 'ip'
  | 'cidr'
  | 'port'
  | 'flow';
