/**
 * Wraps a port (CloudNetwork, Cluster, …) so that every call leaves two audit rows: an
 * `intent` before the call and an `outcome` after it, linked by one callId. The intent is
 * written first and must succeed: a call the trail cannot record is not made.
 */
import { randomUUID } from 'node:crypto';
import { toAppError } from '../errors.ts';
import type { AuditEntry } from '../store/store.ts';
import type { AuditWriteBehind } from './audit-write-behind.ts';
import { redactSecrets } from './redact-secrets.ts';

export interface AuditSink {
  appendAudit(entries: AuditEntry[]): Promise<unknown>;
}

export interface AuditContext {
  requestId: string | null;
  actor: string;
  /** The workflow step making the calls, recorded in every row's details. */
  step?: string;
  /** The cluster the calls are for (its cloud account and region follow from it), in every row's details. */
  clusterId?: string;
  system: 'tencentcloud' | 'kubernetes';
}

export interface AuditPortOptions<P> {
  /** What a call acts on (a security group id, `namespace/name`); '' when nothing fits. */
  targetOf?: (method: keyof P & string, args: readonly unknown[]) => string;
  /** Secret values (API keys, tokens) to mask wherever they appear, or where to read them (a list that grows). */
  secrets?: readonly string[] | (() => readonly string[]);
  /** Monotonic milliseconds for durationMs; performance.now by default. */
  now?: () => number;
  newCallId?: () => string;
  /** When given, outcome rows ride with the next intent (see AuditWriteBehind); the caller flushes it. */
  writeBehind?: AuditWriteBehind;
}

// The port's methods are looked up by name; this is the one place that needs a loose type.
type AnyMethod = (...args: unknown[]) => Promise<unknown>;

export function auditPort<P extends object>(
  port: P,
  /** The action per method; a function when it depends on the arguments (e.g. the workload's kind). */
  actions: Record<keyof P, string | ((args: readonly unknown[]) => string)>,
  sink: AuditSink,
  context: AuditContext,
  options: AuditPortOptions<P> = {},
): P {
  const targetOf = options.targetOf ?? ((_method: string, args: readonly unknown[]) => defaultTargetOf(args));
  const now = options.now ?? (() => performance.now());
  const newCallId = options.newCallId ?? (() => randomUUID());
  // Read at each call: the list may grow while the port lives (keys learned at run time).
  const { secrets } = options;
  const secretsNow = typeof secrets === 'function' ? secrets : () => secrets ?? [];
  const { writeBehind } = options;
  const recordIntent = (entry: AuditEntry) => (writeBehind ?? sink).appendAudit([entry]);
  const recordOutcome = async (entry: AuditEntry): Promise<void> => {
    if (writeBehind) writeBehind.hold(entry);
    else await sink.appendAudit([entry]);
  };

  const wrapped = new Map<PropertyKey, AnyMethod>();

  const base = (method: string, callId: string, args: readonly unknown[]) => {
    const action: string | ((args: readonly unknown[]) => string) = actions[method as keyof P];
    return {
      requestId: context.requestId,
      actor: context.actor,
      system: context.system,
      action: typeof action === 'function' ? action(args) : action,
      callId,
    };
  };
  const stepDetails = {
    ...(context.step === undefined ? {} : { step: context.step }),
    ...(context.clusterId === undefined ? {} : { clusterId: context.clusterId }),
  };

  const wrap = (method: keyof P & string, original: AnyMethod): AnyMethod =>
    async function audited(...args: unknown[]): Promise<unknown> {
      const callId = newCallId();
      const target = safeTarget(() => targetOf(method, args));
      await recordIntent({
        ...base(method, callId, args),
        kind: 'intent',
        target,
        outcome: null,
        durationMs: null,
        cloudRequestId: null,
        details: { ...stepDetails, method, args: redactSecrets(args, secretsNow()) },
      });
      const started = now();
      let result: unknown;
      try {
        result = await original.apply(port, args);
      } catch (error) {
        const appError = toAppError(error);
        const requestId = appError.details['requestId'];
        await recordOutcome({
          ...base(method, callId, args),
          kind: 'outcome',
          target,
          outcome: appError.code,
          durationMs: Math.max(0, Math.round(now() - started)),
          cloudRequestId: typeof requestId === 'string' ? requestId : null,
          details: {
            ...stepDetails,
            method,
            error: redactSecrets(appError.toJSON(), secretsNow()),
          },
        });
        throw error;
      }
      await recordOutcome({
        ...base(method, callId, args),
        kind: 'outcome',
        target,
        outcome: 'ok',
        durationMs: Math.max(0, Math.round(now() - started)),
        cloudRequestId: requestIdOf(result),
        details: { ...stepDetails, method },
      });
      return result;
    };

  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function' || !Object.hasOwn(actions, property)) {
        return value;
      }
      let fn = wrapped.get(property);
      if (fn === undefined) {
        fn = wrap(property as keyof P & string, value as AnyMethod);
        wrapped.set(property, fn);
      }
      return fn;
    },
  });
}

function requestIdOf(result: unknown): string | null {
  if (result === null || typeof result !== 'object') return null;
  const requestId = (result as { requestId?: unknown }).requestId;
  return typeof requestId === 'string' ? requestId : null;
}

/** A bad targetOf must not stop the call from being audited (or made). */
function safeTarget(derive: () => string): string {
  try {
    return derive();
  } catch {
    return '';
  }
}

/**
 * Without a targetOf: the first string argument, else the first object's
 * securityGroupId, `namespace/name` or name.
 */
export function defaultTargetOf(args: readonly unknown[]): string {
  for (const arg of args) {
    if (typeof arg === 'string') return arg;
    if (arg !== null && typeof arg === 'object') {
      const record = arg as Record<string, unknown>;
      if (typeof record['securityGroupId'] === 'string') return record['securityGroupId'];
      if (typeof record['namespace'] === 'string' && typeof record['name'] === 'string') {
        return `${record['namespace']}/${record['name']}`;
      }
      if (typeof record['name'] === 'string') return record['name'];
    }
  }
  return '';
}
