/**
 * Composes the embedded world for `sgops sandbox`: PGlite in the state directory, Redis (REDIS_URL
 * or a private redis-server), the Tencent Cloud emulator, the Kubernetes simulator (HTTPS, signed by
 * the sandbox's CA) seeded with the seed doc's sample application, and the bot with its console —
 * all on loopback. The world is kept in the state directory with the requests: a restart resumes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  withTeamGroups,
} from '../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { parseConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { makePrivate } from '../files/make-private.ts';
import { createApp } from '../main.ts';
import { isAddressInUse, listenPreferred, portTaken, sandboxPorts } from './listen-preferred.ts';
import { sandboxKubeconfig } from './sandbox-kubeconfig.ts';
import { openSandboxWorld } from './sandbox-world.ts';
import { writeTccliEnv } from './write-tccli-env.ts';
import { sandboxFileName } from './sandbox-file.ts';
import type { SandboxInfo } from './sandbox-file.ts';
import { sandboxDirectory, sandboxPolicy } from './sandbox-policy.ts';
import { startPrivateRedis } from './start-private-redis.ts';
import { startChatFakes } from './start-chat-fakes.ts';
import { auditCheckpointFileName } from '../audit/audit-checkpoint.ts';
import { wireNetworkModel } from './wire-network-model.ts';

export const sandboxClusterId = 'cls-sandbox1';
export const sandboxRegion = 'ap-guangzhou';

export interface SandboxOptions {
  stateDir: string;
  /** REDIS_URL from the environment, when the user has a Redis of their own. */
  redisUrl?: string;
  /** Pod start latency in the simulator; long enough to watch progress, short enough to wait for. */
  podStartLatencyMs?: number;
  logLevel?: string;
  /** `--port`: the console on it and the stand-ins on the four after it, or fail. Default: 7700…, moving off taken ones. */
  port?: number;
  /** `--reset`: erase the kept world and requests first. */
  reset?: boolean;
}

export interface Sandbox {
  info: SandboxInfo;
  logger: Logger;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const stateDir = path.resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await refuseIfRunning(stateDir);
  // A directory made by hand, or by an older sgops, may hold secrets others can read: close it first.
  await makePrivate(stateDir);
  const world = await openSandboxWorld(stateDir, { reset: options.reset ?? false });
  const ports = sandboxPorts(options.port ?? 7700, options.port !== undefined);
  const logFile = path.join(stateDir, 'sandbox.log');
  const logger = pino(
    { level: options.logLevel ?? 'info' },
    pino.destination({ dest: logFile, sync: false, mkdir: true, mode: 0o600 }),
  );
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => logger.error({ err }, 'sandbox stop step failed'));
    stops.length = 0;
  };

  try {
    const redis = options.redisUrl
      ? { url: options.redisUrl, stop: async () => {} }
      : await startPrivateRedis(stateDir);
    stops.push(() => redis.stop());

    const { credentials } = world;
    const kubeconfigPath = path.join(stateDir, 'kubeconfig');
    let kubeServer = '';
    const emulator = createTencentCloudEmulator({
      credentials: [credentials],
      seed: withTeamGroups(sandboxCloudSeed(sandboxClusterId)),
      region: sandboxRegion,
      stateDir: world.dir,
      kubeconfigFor: () => sandboxKubeconfig(kubeServer, world.tls.ca.cert, world.kubeToken),
    });
    const cloud = await listenPreferred(ports.cloud, 'Tencent Cloud emulator', (port) =>
      emulator.start(port),
    );
    stops.push(() => emulator.stop());

    // Pods' traffic is judged by the emulator's groups, so the seed's probe checks can be replayed.
    const simulator = createKubernetesSimulator({
      podStartLatencyMs: options.podStartLatencyMs ?? 300,
      network: wireNetworkModel(emulator, { region: sandboxRegion, clusterId: sandboxClusterId }),
      stateDir: world.dir,
      tls: world.tls.server,
      token: world.kubeToken,
    });
    const kube = await listenPreferred(ports.kubernetes, 'Kubernetes simulator', (port) =>
      simulator.start(port),
    );
    stops.push(() => simulator.stop());
    kubeServer = kube.url;
    if (!simulator.restored) await seedSampleWorld(simulator);
    await writeFile(kubeconfigPath, sandboxKubeconfig(kube.url, world.tls.ca.cert, world.kubeToken), {
      mode: 0o600,
    });

    const fakes = await startChatFakes({ slack: ports.slack, wecom: ports.wecom });
    stops.push(() => fakes.stop());
    for (const [id, users] of Object.entries(sandboxDirectory.slackUserGroups))
      fakes.slackApi.setUserGroup(id, users);
    for (const [id, userids] of Object.entries(sandboxDirectory.wecomDepartments))
      fakes.wecomApi.setDepartment(Number(id), userids);
    const { fakeApiUrl: slackFakeUrl, ...slack } = fakes.slack;
    const { fakeApiUrl: wecomFakeUrl, ...wecom } = fakes.wecom;

    const config = parseConfig({
      logLevel: options.logLevel ?? 'info',
      redis: { url: redis.url, prefix: world.queuePrefix },
      database: { kind: 'pglite', path: path.join(stateDir, 'pglite') },
      tencentcloud: { ...credentials, region: sandboxRegion, endpoint: cloud.url },
      // The file users are given, as they are given it: it has to work for the bot too.
      kubernetes: { kubeconfig: kubeconfigPath },
      // It trusts the person each call names, so it must answer nobody but this machine: loopback
      // Host names only, or a web page could reach it by DNS rebinding.
      http: {
        host: '127.0.0.1',
        port: ports.console.port,
        loopbackHostsOnly: true,
        anyPortIfTaken: !ports.console.exact,
      },
      console: { mode: 'sandbox' },
      slack,
      wecom,
      defaults: { clusterId: sandboxClusterId, namespace: 'my-namespace' },
      policy: sandboxPolicy,
      audit: { key: await auditKey(stateDir), checkpointPath: path.join(stateDir, auditCheckpointFileName) },
      workflow: { approvalTimeoutMs: 3600_000, stepBackoffMs: 500, pollDelayMs: 250 },
      // Short, so a change made by hand in the sandbox is told within seconds.
      drift: { sweepMs: 15_000 },
    });
    const consolePortTaken = (error: unknown): never => {
      throw isAddressInUse(error) ? portTaken(ports.console.port, 'console') : error;
    };
    const app = await createApp(config, { logger }).catch(consolePortTaken);
    stops.push(() => app.stop());
    await app.start().catch(consolePortTaken);
    await world.keep();

    const info: SandboxInfo = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      console: { url: app.httpUrl ?? '' },
      tencentcloud: {
        endpoint: cloud.url,
        ...credentials,
        region: sandboxRegion,
        adminUrl: cloud.adminUrl,
        tccli: await writeTccliEnv(stateDir, { ...credentials, region: sandboxRegion }, cloud.url),
      },
      kubernetes: { server: kube.url, kubeconfig: kubeconfigPath, adminUrl: kube.adminUrl },
      redis: { url: redis.url, private: !options.redisUrl },
      database: { kind: 'pglite', path: path.join(stateDir, 'pglite') },
      slack: {
        eventsUrl: `${app.httpUrl}/slack/events`,
        signingSecret: slack.signingSecret,
        fakeApiUrl: slackFakeUrl,
        botUserId: slack.botUserId,
      },
      wecom: {
        callbackUrl: `${app.httpUrl}/wecom/callback`,
        token: wecom.token,
        encodingAESKey: wecom.encodingAESKey,
        corpId: wecom.corpId,
        agentId: wecom.agentId,
        fakeApiUrl: wecomFakeUrl,
      },
      logFile,
    };
    const infoFile = path.join(stateDir, sandboxFileName);
    await writeFile(infoFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    stops.push(() => rm(infoFile, { force: true }));
    logger.info({ console: info.console.url }, 'sandbox started');
    return { info, logger, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** One audit key per state directory, so the chain in its PGlite verifies across restarts. */
async function auditKey(stateDir: string): Promise<string> {
  const file = path.join(stateDir, 'audit.key');
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (existing.length >= 16) return existing;
  const key = randomBytes(32).toString('hex');
  await writeFile(file, key, { mode: 0o600 });
  return key;
}

async function refuseIfRunning(stateDir: string): Promise<void> {
  const text = await readFile(path.join(stateDir, sandboxFileName), 'utf8').catch(() => null);
  if (!text) return;
  const pid = Number((JSON.parse(text) as { pid?: number }).pid);
  let alive = false;
  try {
    if (Number.isInteger(pid) && pid > 0) alive = process.kill(pid, 0);
  } catch {
    alive = false;
  }
  if (alive && pid !== process.pid) {
    throw new AppError(
      'STATE_CONFLICT',
      `A sandbox (pid ${pid}) is already running with state directory ${stateDir}.`,
      {
        hint: 'Stop it with Ctrl-C in its terminal, or start another with --state-dir OTHER_DIR.',
      },
    );
  }
}
