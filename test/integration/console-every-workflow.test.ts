import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantApproved, revoked } from '../helpers/chat-requests.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { worldReaders } from '../helpers/world-readers.ts';

/**
 * Every registered workflow's requests open in the console: its diagram and the request's place
 * on it. Revoke requests answered "There is no request R…" before the console read the registry.
 */
describe('the console shows a request of every registered workflow', () => {
  let world: TestWorld;
  let url = '';
  const { runApps } = worldReaders(() => world);

  beforeAll(async () => {
    world = await startTestWorld('console-every-workflow', {
      workflow: {
        stepBackoffMs: 50,
        pollDelayMs: 100,
        approvalTimeoutMs: 600_000,
        expiryWarningMs: 1500,
        reconcileMs: 1000,
      },
      // The console as `sgops start` serves it, wired by the composition root.
      http: { host: '127.0.0.1', port: 0 },
      console: { mode: 'sandbox' },
    });
    await runApps(['shop-a', 'shop-b']);
    url = world.app.httpUrl!;
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('opens a grant, a revoke and an expiry revoke, each with its own diagram', async () => {
    const ns = 'my-namespace';
    const granted = await grantApproved(world, `grant pod SG to app shop-a in ${ns}`);
    const revoke = await revoked(world, `revoke pod SG from app shop-a in ${ns}`);
    const timeBound = await grantApproved(world, `grant pod SG to app shop-b in ${ns} for 2s`);
    const expiryRevokeId = `${timeBound.requestId}X`;
    await world.waitFor(
      'alice',
      (m) => m.requestId === expiryRevokeId && (m.kind === 'result' || m.kind === 'error'),
      60_000,
    );
    const ids = [granted.requestId, revoke.requestId, timeBound.requestId, expiryRevokeId];

    const seen = new Map<string, string[]>();
    for (const id of ids) {
      const res = await fetch(`${url}/api/requests/${id}/view?as=alice`);
      const body = (await res.json()) as {
        request: { workflow: string; state: string; what: string };
        statuses: Record<string, string>;
      };
      expect(res.status, `${id}: ${JSON.stringify(body)}`).toBe(200);
      const states = Object.keys(
        world.app.workflows.find((w) => w.name === body.request.workflow)!.machine.config.states!,
      );
      // Placed on its own workflow's diagram: a status for each of its states, its own current.
      expect(Object.keys(body.statuses).sort()).toEqual([...states].sort());
      expect(states).toContain(body.request.state);
      // The list line says which workflow it is, unless it is a grant (the common case).
      if (body.request.workflow !== 'grant')
        expect(body.request.what).toMatch(new RegExp(`^${body.request.workflow} app shop-`));
      seen.set(body.request.workflow, [...(seen.get(body.request.workflow) ?? []), id]);
    }
    // Every workflow in the registry was met, and each one's diagram is served on its own.
    expect([...seen.keys()].sort()).toEqual(world.app.workflows.map((w) => w.name).sort());
    for (const { name, machine } of world.app.workflows) {
      const res = await fetch(`${url}/api/workflows/${name}?as=alice`);
      expect(res.status, name).toBe(200);
      const graph = (await res.json()) as { states: { id: string }[] };
      expect(graph.states.map((s) => s.id).sort()).toEqual(Object.keys(machine.config.states!).sort());
    }
  }, 120_000);
});
