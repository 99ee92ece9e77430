import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { signAuditCheckpoint } from '../../../src/audit/audit-checkpoint.ts';
import { auditRoutes, type AuditRoutesOptions } from '../../../src/audit/audit-routes.ts';
import type { AuditTrailReport } from '../../../src/audit/verify-audit-trail.ts';
import type { AuditRow } from '../../../src/store/store.ts';
import { buildChain, fixtureKey } from './audit-chain-fixture.ts';
import { memoryAuditStore } from './memory-audit-store.ts';

const secret = 'AKIDsecretKeyThatMustNeverLeak42';

describe('auditRoutes', () => {
  let app: FastifyInstance;
  const serve = async (rows: AuditRow[], options: Partial<AuditRoutesOptions> = {}) => {
    app = Fastify();
    await app.register(auditRoutes, {
      store: memoryAuditStore(() => rows),
      auditKey: fixtureKey,
      ...options,
    });
    return app;
  };
  afterEach(async () => {
    await app.close();
  });

  it('verifies the chain against the configured checkpoint', async () => {
    const rows = buildChain(6);
    const checkpoint = signAuditCheckpoint(fixtureKey, { seq: 6, hash: rows[5]!.hash, at: 'now' });
    await serve(rows.slice(0, 4), { checkpoint: { read: () => Promise.resolve(checkpoint) } });
    const response = await app.inject({ method: 'GET', url: '/api/audit/verify' });
    expect(response.statusCode).toBe(200);
    expect(response.json<AuditTrailReport>()).toMatchObject({
      ok: false,
      count: 4,
      broken: { seq: 5, problem: 'truncated' },
    });
  });

  it('takes a checkpoint sent by the caller, and refuses one with a bad MAC', async () => {
    const rows = buildChain(6);
    await serve(rows);
    const good = signAuditCheckpoint(fixtureKey, { seq: 6, hash: rows[5]!.hash, at: 'now' });
    const ok = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      query: { checkpoint: JSON.stringify(good), request: 'R7K2' },
    });
    expect(ok.json<AuditTrailReport>()).toMatchObject({
      ok: true,
      count: 6,
      checkpoint: { seq: 6 },
      request: { id: 'R7K2', count: 6, affected: 0 },
    });
    const forged = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      query: { checkpoint: JSON.stringify({ ...good, seq: 5 }) },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('exports JSON lines, oldest first, filtered by request, with secrets masked', async () => {
    const rows = buildChain(5).map((r, i) => ({
      ...r,
      requestId: i === 2 ? 'OTHR' : 'R7K2',
      details: { note: `key ${secret} and ${fixtureKey}` },
    }));
    await serve(rows, { secrets: [secret] });
    const all = await app.inject({ method: 'GET', url: '/api/audit/export' });
    expect(all.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = all.body.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.body).not.toContain(secret);
    expect(all.body).not.toContain(fixtureKey);
    const one = await app.inject({ method: 'GET', url: '/api/audit/export?request=R7K2' });
    expect(one.body.trim().split('\n')).toHaveLength(4);
  });

  it('refuses with 400 a request filter that cannot be a request id, before reading the trail', async () => {
    const store = memoryAuditStore(() => buildChain(2));
    await serve([], { store });
    for (const url of ['/api/audit/verify?request=%00', '/api/audit/export?request=R7K2%27--']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ code: 'COMMAND_INVALID' });
    }
    expect(store.calls).toBe(0);
  });

  it('answers 401 when authorise says no', async () => {
    await serve(buildChain(2), { authorise: (request) => request.headers.authorization === 'Bearer right' });
    expect((await app.inject({ method: 'GET', url: '/api/audit/verify' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/audit/export' })).statusCode).toBe(401);
    const allowed = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: { authorization: 'Bearer right' },
    });
    expect(allowed.statusCode).toBe(200);
  });
});
