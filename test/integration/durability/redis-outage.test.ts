import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processExists, startSgopsProcess } from '../../helpers/sgops-process.ts';
import type { SgopsProcess } from '../../helpers/sgops-process.ts';
import { restartableRedis } from '../../helpers/restartable-redis.ts';
import type { RestartableRedis } from '../../helpers/restartable-redis.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';

/**
 * Issue 15: Redis is as fallible as Postgres. A replica started while its Redis is down waits for
 * it (saying so in its log and on /readyz) instead of exiting; a Redis that dies under running
 * grants and comes back empty ends no replica, and the grants still end `done`, rebuilt from Postgres.
 */
const apps = Array.from({ length: 10 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { app: `app-${n}`, namespace: `team-${n}` };
});

describe('a replica whose Redis is down at start, and dies under running grants', () => {
  let redis: RestartableRedis;
  let world: ProcessWorld;
  let replica: SgopsProcess;

  beforeAll(async () => {
    redis = await restartableRedis();
    world = await startProcessWorld({
      name: 'durability-redis-outage',
      apps,
      redisUrl: redis.url,
      workflow: {
        stepAttempts: 20,
        stepBackoffMs: 200,
        pollDelayMs: 200,
        rolloutWaitMs: 2000,
        reconcileMs: 1000,
        outboxSweepMs: 500,
        approvalTimeoutMs: 600_000,
      },
    });
  }, 90_000);

  afterAll(async () => {
    await replica?.kill();
    await redis?.start();
    await world?.stop();
    await redis?.destroy();
  });

  it('waits for Redis at start, and says why on /readyz and in its log', async () => {
    replica = startSgopsProcess(world.configPaths[0]!);
    const answer = await replica.firstReadyz(world.urls[0]!, 30_000);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatch(/redis/i);
    await new Promise((r) => setTimeout(r, 2000));
    expect(processExists(replica.pid)).toBe(true);
    expect(replica.output()).toMatch(/Redis cannot be reached yet/);

    await redis.start();
    await replica.ready(world.urls[0]!, 30_000);
  }, 60_000);

  it('outlives Redis dying under 10 grants, and ends them all done once it is back empty', async () => {
    await Promise.all(
      apps.map(({ app, namespace }) => world.say('alice', `grant pod SG to app ${app} in ${namespace}`)),
    );
    const planned = await world.requestsWhen(
      (byApp) =>
        byApp.size === apps.length && [...byApp.values()].every((r) => r.state === 'awaitingApproval'),
      60_000,
    );
    world.simulator.configureKubelet({ startLatencyMs: 1500 });
    await Promise.all([...planned.values()].map((r) => world.say('bob', `approve ${r.id}`)));
    await new Promise((r) => setTimeout(r, 500));

    await redis.stop();
    await new Promise((r) => setTimeout(r, 5000));
    expect(processExists(replica.pid)).toBe(true);
    const down = await fetch(`${world.urls[0]}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toMatch(/redis/i);
    await redis.start();

    const ended = await world.requestsWhen(
      (byApp) => [...byApp.values()].every((r) => terminalStates.has(r.state)),
      90_000,
    );
    expect([...ended.values()].filter((r) => r.state !== 'done').map((r) => `${r.id} ${r.state}`)).toEqual(
      [],
    );
    expect(processExists(replica.pid)).toBe(true);
  }, 150_000);
});
