/**
 * The world of the bulk and expiry scenarios: stand-ins with the emulator's documented per-action
 * rate limits on and `callLatencyMs` added to every cloud and Kubernetes call, and an sgops with its
 * shared client-side rate limiter on, the policy approving every grant itself, and `stepConcurrency`
 * step workers. `grantAll` feeds grants `inFlight` open at a time and waits for them to end.
 */
import { samplePolicy } from '../../test/helpers/test-world.ts';
import { benchConfigInput, startBenchApp } from './bench-app.ts';
import type { BenchApp } from './bench-app.ts';
import { openSchemaReader, terminalStates } from './schema-reader.ts';
import type { SchemaReader } from './schema-reader.ts';
import { startStandIns } from './stand-ins.ts';
import type { StandIns } from './stand-ins.ts';

export interface BulkWorldOptions {
  name: string;
  grants: number;
  callLatencyMs: number;
  stepConcurrency: number;
  /** sgops' sharing of repeated cluster reads (config `tencentcloud.readCacheTtlMs`). */
  readCacheTtlMs: number;
}

export interface BulkWorld {
  standIns: StandIns;
  sgops: BenchApp;
  reader: SchemaReader;
  apps: { app: string; namespace: string }[];
  close(): Promise<void>;
}

export async function startBulkWorld(options: BulkWorldOptions): Promise<BulkWorld> {
  const standIns = await startStandIns({
    quotas: { groupsPerRegion: options.grants + 100, rulesPerDirection: 2 * options.grants + 200 },
    podStartLatencyMs: 20,
    cloudLatencyMs: options.callLatencyMs,
    kubeLatencyMs: options.callLatencyMs,
  });
  let sgops: BenchApp | null = null;
  try {
    const input = benchConfigInput(options.name, standIns, {
      tencentcloud: {
        secretId: 'AKIDsgopsTEST0000000001',
        secretKey: 'test-secret-key-never-logged',
        region: 'ap-guangzhou',
        endpoint: standIns.cloudUrl,
        readCacheTtlMs: options.readCacheTtlMs,
      },
      policy: {
        ...samplePolicy,
        rules: [{ ...samplePolicy.rules[0]!, namespaces: ['*'], autoApprove: { when: 'always' as const } }],
      },
      workflow: {
        stepConcurrency: options.stepConcurrency,
        // The ceiling bulk work can reach: the cluster group's writes shared (see the config's note).
        batchGroupWrites: true,
        stepAttempts: 20,
        stepBackoffMs: 50,
        pollDelayMs: 100,
        approvalTimeoutMs: 3_600_000,
      },
    });
    sgops = await startBenchApp(input);
    const reader = await openSchemaReader(sgops.schema);
    const started = sgops;
    return {
      standIns,
      sgops,
      reader,
      apps: Array.from({ length: options.grants }, (_, i) => {
        const n = String(i + 1).padStart(3, '0');
        // One namespace per app: the simulator re-lists a namespace's pods per ReplicaSet on every pass.
        return { app: `app-${n}`, namespace: `${options.name}-${n}` };
      }),
      async close() {
        await reader.close();
        await started.stop();
        await standIns.stop();
      },
    };
  } catch (error) {
    await sgops?.stop();
    await standIns.stop();
    throw error;
  }
}

async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export interface GrantRun {
  wallMs: number;
  counts: Record<string, number>;
  done: number;
}

/**
 * Asks for a grant of every app, at most `inFlight` open at once, until all ended or `deadline`
 * (ms since epoch). `suffix` ends each line (e.g. ` for 1h`). Each app is deployed just before it is
 * asked for: 500 idle Deployments would make the simulator's controller passes, not sgops, the
 * bottleneck.
 */
export async function grantAll(
  world: BulkWorld,
  options: { inFlight: number; deadline: number; suffix?: string },
): Promise<GrantRun> {
  const { apps, reader, standIns } = world;
  const started = performance.now();
  let asked = 0;
  let endedAt = started;
  let counts: Record<string, number> = {};
  for (;;) {
    counts = await reader.stateCounts();
    const ended = Object.entries(counts)
      .filter(([s]) => terminalStates.has(s) || s === 'active')
      .reduce((sum, [, n]) => sum + n, 0);
    const toAsk = apps.slice(asked, asked + Math.max(0, options.inFlight - (asked - ended)));
    asked += toAsk.length;
    if (toAsk.length > 0) await standIns.deploy({ apps: toAsk, replicas: 1, timeoutMs: 20_000 });
    await inBatches(toAsk, 20, ({ app, namespace }) =>
      world.sgops.app.console.say(
        'alice',
        `grant pod SG to app ${app} in ${namespace}${options.suffix ?? ''}`,
      ),
    );
    endedAt = performance.now();
    if (ended >= apps.length || Date.now() > options.deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { wallMs: endedAt - started, counts, done: (counts['done'] ?? 0) + (counts['active'] ?? 0) };
}
