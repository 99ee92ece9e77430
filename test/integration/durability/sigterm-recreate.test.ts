import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { superNodeDeployment } from '../../helpers/super-node-deployment.ts';
import { sandboxGrantProblems } from '../../helpers/granted-world-problems.ts';
import { processExists } from '../../helpers/sgops-process.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';

/**
 * Issue 8's acceptance: SIGTERM while `recreatePods` watches a slow rollout ends the process with
 * code 0 within seconds (the watch is aborted and the step re-arms), and a new process with the same
 * config picks the request up and brings it to `done`.
 */
const app = { app: 'slow-web', namespace: 'team-slow' };
const replicas = 4;

describe('SIGTERM while recreatePods waits for a slow rollout', () => {
  let world: ProcessWorld;

  beforeAll(async () => {
    world = await startProcessWorld({
      name: 'durability-sigterm',
      apps: [app],
      // Four replicas, one new pod at a time: a rollout the test can slow down.
      deploy: async (simulator) => {
        simulator.create('namespaces', undefined, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: app.namespace },
        });
        simulator.create(
          'deployments',
          app.namespace,
          superNodeDeployment({ ...app, replicas, maxSurge: 1, maxUnavailable: 0 }),
        );
        await simulator.settle();
      },
      // The default locks: a stopping process leaves no job locked (the watch ends, the step re-arms).
      workflow: {
        stepBackoffMs: 50,
        pollDelayMs: 200,
        rolloutWaitMs: 2000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
      },
    });
    await world.start();
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  async function stateWhen(
    ok: (state: string) => boolean,
    timeoutMs: number,
  ): Promise<{ id: string; state: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await world.store.listRequests({ requester: 'alice', limit: 10 });
      if (row && ok(row.state)) return { id: row.id, state: row.state };
      if (Date.now() > deadline)
        throw new Error(`timed out in state ${row?.state ?? 'none'}\n${world.outputs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('exits 0 within 5 s, and a new process with the same config brings the grant to done', async () => {
    await world.say('alice', `grant pod SG to app ${app.app} in ${app.namespace}`);
    const { id } = await stateWhen((s) => s !== 'planning', 30_000);
    expect((await world.store.getRequest(id))?.state).toBe('awaitingApproval');

    // Each new pod takes 3 s and none may go before its successor is up: the rollout takes ~12 s.
    world.simulator.configureKubelet({ startLatencyMs: 3000 });
    await world.say('bob', `approve ${id}`);
    await stateWhen((s) => s === 'recreatePods' || terminalStates.has(s), 30_000);
    expect((await world.store.getRequest(id))?.state).toBe('recreatePods');
    await new Promise((r) => setTimeout(r, 500)); // let the step's watch start

    const first = world.processes[0]!;
    const end = await first.terminate(15_000);
    console.log(`SIGTERM during recreatePods: exited ${JSON.stringify(end.code)} after ${end.ms} ms`);
    expect({ code: end.code, signal: end.signal }).toEqual({ code: 0, signal: null });
    expect(end.ms).toBeLessThanOrEqual(5_000);
    expect(processExists(first.pid)).toBe(false);
    const between = (await world.store.getRequest(id))?.state;
    expect(between).toBe('recreatePods');

    const restarted = Date.now();
    await world.start();
    const ended = await stateWhen((s) => terminalStates.has(s), 60_000);
    console.log(
      `  the new process finished it ${Date.now() - restarted} ms after it started: ${ended.state}`,
    );
    expect(ended.state).toBe('done');

    expect(sandboxGrantProblems(world, [app])).toEqual([]);
    const pods = world.simulator
      .list('pods', app.namespace, { labelSelector: `app=${app.app}` })
      .filter((p) => !p.metadata.deletionTimestamp);
    expect(pods).toHaveLength(replicas);
  }, 120_000);
});
