/**
 * Reads a bench app's Postgres schema on a connection of its own, so watching progress never
 * takes a connection from the app's pool.
 */
import pg from 'pg';
import { testDatabaseUrl } from '../../test/helpers/pg.ts';

export const terminalStates = new Set([
  'done',
  'needsAttention',
  'failed',
  'rolledBack',
  'denied',
  'expired',
  'cancelled',
]);

export interface SchemaReader {
  /** Request id → state. */
  states(): Promise<Map<string, string>>;
  /** Count of requests per state, of one workflow when named. */
  stateCounts(workflow?: string): Promise<Record<string, number>>;
  /** Calls the steps made through the audited ports, and the milliseconds they took (outcome rows). */
  portCalls(): Promise<{ calls: number; ms: number }>;
  /** Per `system action`: outcome rows and their mean duration, slowest first. */
  portCallsByAction(): Promise<Record<string, { calls: number; mean_ms: number }>>;
  /**
   * Throttled call outcomes: `cloud` are RequestLimitExceeded answers (they carry the cloud's
   * RequestId); `local` are calls sgops' own rate limiter gave up on before sending them.
   */
  throttled(): Promise<{ cloud: number; local: number }>;
  /** One request's audited calls (outcome rows) whose intent came at or after `since`, per `system action`. */
  callsOf(requestId: string, since: Date): Promise<Record<string, number>>;
  /**
   * How long one step held its turn on a shared group: over the requests whose step made cloud
   * calls, the mean ms from its first audited cloud call to its last outcome.
   */
  stepCallSpans(step: string): Promise<{ requests: number; meanMs: number }>;
  /** Audit rows written so far. */
  auditRows(): Promise<number>;
  /**
   * Connections of this schema waiting right now for the audit chain's head row lock: they hold a
   * relation lock on this schema's audit_head and wait on a row or transaction lock.
   */
  auditHeadWaiters(): Promise<number>;
  /** First and last audit row time of one step of one request (ms since epoch). */
  stepSpan(requestId: string, step: string): Promise<{ first: number; last: number; rows: number } | null>;
  close(): Promise<void>;
}

export async function openSchemaReader(schema: string): Promise<SchemaReader> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`odd schema name ${schema}`);
  const client = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    async states() {
      const { rows } = await client.query<{ id: string; state: string }>('select id, state from requests');
      return new Map(rows.map((r) => [r.id, r.state]));
    },
    async stateCounts(workflow) {
      const { rows } = await client.query<{ state: string; n: string }>(
        workflow === undefined
          ? 'select state, count(*) as n from requests group by state'
          : 'select state, count(*) as n from requests where workflow = $1 group by state',
        workflow === undefined ? [] : [workflow],
      );
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
    async portCalls() {
      const { rows } = await client.query<{ calls: string; ms: string | null }>(
        `select count(*) as calls, sum(duration_ms) as ms from audit_log
          where kind = 'outcome' and system in ('tencentcloud', 'kubernetes')`,
      );
      return { calls: Number(rows[0]!.calls), ms: Number(rows[0]!.ms ?? 0) };
    },
    async portCallsByAction() {
      const { rows } = await client.query<{ key: string; calls: string; mean: string }>(
        `select system || ' ' || action as key, count(*) as calls, avg(duration_ms) as mean from audit_log
          where kind = 'outcome' and system in ('tencentcloud', 'kubernetes') group by 1 order by 3 desc`,
      );
      return Object.fromEntries(
        rows.map((r) => [r.key, { calls: Number(r.calls), mean_ms: Math.round(Number(r.mean) * 10) / 10 }]),
      );
    },
    async throttled() {
      const { rows } = await client.query<{ cloud: string; local: string }>(
        `select count(*) filter (where cloud_request_id is not null) as cloud,
                count(*) filter (where cloud_request_id is null) as local
           from audit_log where kind = 'outcome' and outcome = 'CLOUD_THROTTLED'`,
      );
      return { cloud: Number(rows[0]!.cloud), local: Number(rows[0]!.local) };
    },
    async callsOf(requestId, since) {
      const { rows } = await client.query<{ key: string; n: string }>(
        `select o.system || ' ' || o.action as key, count(*) as n from audit_log o
           join audit_log i on i.call_id = o.call_id and i.kind = 'intent'
          where o.kind = 'outcome' and o.request_id = $1 and i.at >= $2
            and o.system in ('tencentcloud', 'kubernetes') group by 1`,
        [requestId, since],
      );
      return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
    },
    async stepCallSpans(step) {
      const { rows } = await client.query<{ n: string; ms: string | null }>(
        `select count(*) as n, avg(span) as ms from (
           select extract(epoch from max(at) - min(at)) * 1000 as span from audit_log
            where system = 'tencentcloud' and details->>'step' = $1 group by request_id) s`,
        [step],
      );
      return { requests: Number(rows[0]!.n), meanMs: Number(rows[0]!.ms ?? Number.NaN) };
    },
    async auditRows() {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from audit_log');
      return Number(rows[0]!.n);
    },
    async auditHeadWaiters() {
      const { rows } = await client.query<{ n: string }>(
        `select count(distinct a.pid) as n from pg_stat_activity a
          where a.wait_event_type = 'Lock' and a.pid in (
            select l.pid from pg_locks l join pg_class c on c.oid = l.relation
              join pg_namespace ns on ns.oid = c.relnamespace
             where ns.nspname = $1 and c.relname = 'audit_head')`,
        [schema],
      );
      return Number(rows[0]!.n);
    },
    async stepSpan(requestId, step) {
      const { rows } = await client.query<{ first: Date | null; last: Date | null; n: string }>(
        `select min(at) as first, max(at) as last, count(*) as n from audit_log
          where request_id = $1 and details->>'step' = $2`,
        [requestId, step],
      );
      const row = rows[0]!;
      if (!row.first || !row.last) return null;
      return { first: row.first.getTime(), last: row.last.getTime(), rows: Number(row.n) };
    },
    close: () => client.end(),
  };
}
