import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atRest, phaseOf } from '../../workflows/workflow-module.ts';
import { grantApproved, revoked } from '../helpers/chat-requests.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { sayJson } from '../helpers/say-json.ts';
import { worldReaders } from '../helpers/world-readers.ts';

/**
 * Every registered workflow's requests open in the console: its diagram and the request's place
 * on it. Revoke requests answered "There is no request R…" before the console read the registry.
 * `sgops say` answers for each of them too, and `--follow` ends where each workflow says it rests.
 */
describe('the console shows a request of every registered workflow', () => {
  let world: TestWorld;
  let url = '';
  /** A request of every registered workflow, opened by the first test. */
  let ids: string[] = [];
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

  it('opens a grant, a repair, a revoke and an expiry revoke, each with its own diagram', async () => {
    const ns = 'my-namespace';
    const granted = await grantApproved(world, `grant pod SG to app shop-a in ${ns}`);
    // Nothing has drifted: the repair plans, finds nothing to put back, and rests.
    const repairId = (await world.say('alice', `repair ${granted.requestId}`)).requestId!;
    expect(await stateBecomes(world, repairId, ['nothingToRepair', 'awaitingApproval', 'failed'])).toBe(
      'nothingToRepair',
    );
    const revoke = await revoked(world, `revoke pod SG from app shop-a in ${ns}`);
    const timeBound = await grantApproved(world, `grant pod SG to app shop-b in ${ns} for 2s`);
    const expiryRevokeId = `${timeBound.requestId}X`;
    await world.waitFor(
      'alice',
      (m) => m.requestId === expiryRevokeId && (m.kind === 'result' || m.kind === 'error'),
      60_000,
    );
    ids = [granted.requestId, repairId, revoke.requestId, timeBound.requestId, expiryRevokeId];

    const seen = new Map<string, string[]>();
    for (const id of ids) {
      const res = await fetch(`${url}/api/requests/${id}/view?as=alice`);
      const body = (await res.json()) as {
        request: { workflow: string; verb: string; state: string; what: string };
        statuses: Record<string, string>;
      };
      expect(res.status, `${id}: ${JSON.stringify(body)}`).toBe(200);
      const states = Object.keys(
        world.app.workflows.find((w) => w.name === body.request.workflow)!.machine.config.states!,
      );
      // Placed on its own workflow's diagram: a status for each of its states, its own current.
      expect(Object.keys(body.statuses).sort()).toEqual([...states].sort());
      expect(states).toContain(body.request.state);
      // The list's kind column says which workflow it is (a grant's dry run is a grant's).
      if (body.request.workflow !== 'grant') expect(body.request.verb).toBe(body.request.workflow);
      else expect(['grant', 'dry run']).toContain(body.request.verb);
      expect(body.request.what).toMatch(/^app shop-/);
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

  /** `sgops say --as alice <line> --json [--follow]` against the app's console; its JSON lines. */
  const say = (line: string, follow: boolean) => sayJson(url, line, { follow });

  it('answers sgops say "status request <id>" for every workflow, and --follow ends where each rests', async () => {
    expect(ids).toHaveLength(5);
    const workflowsSeen = new Set<string>();
    for (const id of ids) {
      const view = (await world.app.engine.read(id))!;
      const workflow = world.app.workflows.find((w) => w.name === view.request.workflow)!;
      workflowsSeen.add(workflow.name);
      // Every one of them has come to rest, by what its own workflow says its state means.
      expect(atRest(phaseOf(workflow, view.state)), `${id} ${view.state}`).toBe(true);

      const status = await say(`status request ${id}`, false);
      expect(status.code).toBe(0);
      expect(status.lines, id).toEqual([
        expect.objectContaining({
          kind: 'reply',
          requestId: id,
          state: view.state,
          text: expect.stringContaining(id),
        }),
      ]);

      // A request at rest: --follow prints the answer and ends there, not at its timeout.
      const started = Date.now();
      const followed = await say(`status request ${id}`, true);
      expect(followed.code).toBe(0);
      expect(followed.lines.map((l) => [l.requestId, l.state])).toEqual([[id, view.state]]);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    expect([...workflowsSeen].sort()).toEqual(world.app.workflows.map((w) => w.name).sort());
  }, 120_000);

  it('follows a grant through its approval and a revoke to their ends with sgops say --follow', async () => {
    const line = 'grant pod SG to app shop-a in my-namespace';
    const following = say(line, true);
    // The new grant's card (the first grant of shop-a, above, had one too).
    const card = await world.waitFor(
      'bob',
      (m) => m.kind === 'approval' && m.text.includes('shop-a') && !ids.includes(m.requestId!),
    );
    await world.say('bob', `approve ${card.requestId}`);
    const granted = await following;
    expect(granted.code).toBe(0);
    expect(granted.lines[0]).toMatchObject({ requestId: card.requestId, state: 'planning' });
    expect(granted.lines.map((l) => l.state)).toContain('awaitingApproval');
    expect(granted.lines.at(-1)).toMatchObject({ requestId: card.requestId, kind: 'result', state: 'done' });

    const revoked = await say('revoke pod SG from app shop-a in my-namespace', true);
    expect(revoked.code).toBe(0);
    expect(revoked.lines.at(-1)).toMatchObject({
      requestId: revoked.lines[0]!.requestId,
      kind: 'result',
      state: 'done',
    });
    expect((await world.app.engine.read(revoked.lines[0]!.requestId!))?.request.workflow).toBe('revoke');
  }, 90_000);
});
