import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';

/**
 * Issue 15: stopping Postgres while grants ran crashed busy replicas on an unhandled 'error' event
 * of a pg client a transaction held (pg-pool only listens while a client is idle). Here the server
 * ends this store's connections (as a restart or failover does) while a transaction holds one.
 */
describe('a database connection that Postgres ends', () => {
  const schema = uniqueSchema('connection_loss');
  // Only this store's connections carry this name, so only they are ended.
  const applicationName = `sgops-loss-${randomBytes(4).toString('hex')}`;
  const url = `${testDatabaseUrl}?application_name=${applicationName}`;
  const lost: Error[] = [];
  let store: Awaited<ReturnType<typeof createStore>>;

  /** What `pg_terminate_backend` does at a restart of the server: 57P01 on each of the store's connections. */
  const endTheStoresConnections = async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: boolean }>(
        'select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      return rows.length;
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    store = await createStore({
      kind: 'pg',
      url,
      schema,
      auditKey: 'audit-key-0123456789abcdef',
      onPoolError: (error) => lost.push(error),
    });
  });

  afterAll(async () => {
    await store?.close();
    await dropSchema(testDatabaseUrl, schema);
  });

  it('fails the transaction holding it as the retryable DATABASE_UNAVAILABLE, without ending the process', async () => {
    const outcome = store
      .transaction(async (tx) => {
        await tx.lockRequest('RNONE');
        // The server ends the connection while this transaction holds it, between two statements.
        expect(await endTheStoresConnections()).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.lockRequest('RNONE');
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    const error = await outcome;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DATABASE_UNAVAILABLE');
    expect((error as AppError).retryable).toBe(true);
    // The held client's own 'error' event reached the store's handler instead of ending the process.
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.some((e) => /terminat/i.test(e.message))).toBe(true);
  });

  it('works again at once on new connections, and an idle connection ended meanwhile is replaced', async () => {
    expect(await store.listRequests({ limit: 1 })).toEqual([]);
    await endTheStoresConnections();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.listRequests({ limit: 1 })).toEqual([]);
  });

  it('leaves every other database error as it was', async () => {
    // A statement the server refuses (an approval of a request that does not exist) is no outage.
    const refused = await store
      .transaction((tx) =>
        tx.insertApproval({
          requestId: 'RNONE',
          personId: 'bob',
          decision: 'approve',
          comment: null,
          platform: 'console',
          messageId: 'm-1',
        }),
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect((refused as AppError).code).toBe('REQUEST_NOT_FOUND');
  });
});

describe('a store started while Postgres cannot be reached', () => {
  it('waits with backoff, saying so, and opens once Postgres answers', async () => {
    // A loopback port with nothing behind it, which later forwards to the real Postgres.
    const port = await freePort();
    const target = new URL(testDatabaseUrl);
    const url = new URL(testDatabaseUrl);
    url.port = String(port);
    const schema = uniqueSchema('start_wait');
    const waits: { attempt: number; retryInMs: number; code?: string }[] = [];
    const opening = createStore({
      kind: 'pg',
      url: url.toString(),
      schema,
      auditKey: 'audit-key-0123456789abcdef',
      onWaiting: ({ error, attempt, retryInMs }) =>
        waits.push({ attempt, retryInMs, code: (error as { code?: string }).code }),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // Still waiting, not failed: it has tried and said so, each pause longer than the one before.
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toEqual({ attempt: 1, retryInMs: 500, code: 'ECONNREFUSED' });
    expect(waits[1]).toMatchObject({ attempt: 2, retryInMs: 1_000 });
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    try {
      const store = await opening;
      expect(await store.listRequests({ limit: 1 })).toEqual([]);
      await store.close();
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
      await dropSchema(testDatabaseUrl, schema);
    }
  });

  it('fails at once when Postgres answers but refuses (no outage to wait for)', async () => {
    const url = new URL(testDatabaseUrl);
    url.pathname = `/no_such_database_${randomBytes(3).toString('hex')}`;
    const waits: unknown[] = [];
    await expect(
      createStore({
        kind: 'pg',
        url: url.toString(),
        auditKey: 'audit-key-0123456789abcdef',
        onWaiting: (w) => waits.push(w),
      }),
    ).rejects.toThrow(/does not exist/);
    expect(waits).toEqual([]);
  });
});

/** A port nothing listens on now (the kernel handed it out and it was closed again). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
