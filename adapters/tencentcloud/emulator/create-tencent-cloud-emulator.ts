import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecurityGroupLimitSet } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionRateLimiter } from './action-rate-limiter.ts';
import { handleAdminRequest } from './admin-routes.ts';
import type { EmulatorWorld } from './cloud-action.ts';
import { CallCounter } from './call-counter.ts';
import { ClusterStore, type SeedCluster } from './cluster-store.ts';
import { emulatorStateView, seedSecurityGroups, type EmulatorStateView } from './emulator-state.ts';
import { EmulatorWorldFile } from './emulator-world-file.ts';
import { FaultInjector } from './fault-injector.ts';
import { CallHolds } from './call-holds.ts';
import { clusterKubeconfig } from './cluster-kubeconfig.ts';
import { handleApiRequest, type ApiCredential } from './handle-api-request.ts';
import { sendApiAnswer } from './send-api-answer.ts';
import { resourceIdGenerator } from './resource-id-generator.ts';
import { securityGroupLimits } from './security-group-limits.ts';
import { SecurityGroupStore } from './security-group-store.ts';
import { seededRandom } from './seeded-random.ts';
import { SignerLog, type SignedCall } from './signer-log.ts';
import { stsActions } from './sts-actions.ts';
import { handleStsAdminRequest } from './sts-admin-routes.ts';
import { StsAuthority, type StsOptions } from './sts-authority.ts';
import type { SeedGroup } from './seed-group.ts';
import { tkeActions } from './tke-actions.ts';
import { vpcActions } from './vpc-actions.ts';

/**
 * A stand-in for the Tencent Cloud VPC, TKE and STS APIs that the unmodified tencentcloud-sdk-nodejs
 * talks to over HTTP, with TC3-HMAC-SHA256 verified. All services share one port; the
 * X-TC-Version header picks the service, as the action sets never meet.
 */
export interface TencentCloudEmulatorOptions {
  credentials: ApiCredential[];
  now?: () => Date;
  quotas?: { groupsPerRegion?: number; rulesPerDirection?: number };
  /** DescribeSecurityGroupLimits' report-only quotas (the enforced two come from `quotas`). */
  reportedLimits?: Partial<SecurityGroupLimitSet>;
  seed?: { clusters?: SeedCluster[]; securityGroups?: SeedGroup[] };
  /** Region of seeds that name none (default ap-guangzhou). */
  region?: string;
  kubeconfigFor?: (clusterId: string) => string;
  /** Roles, the trusted OIDC token and the lifetime of temporary credentials (see sts-authority.ts). */
  sts?: StsOptions;
  /** Requests per second per action; `false` disables throttling; a map overrides single actions. */
  rateLimits?: false | Record<string, number>;
  /** Seed of the PRNG behind generated ids (default 1). */
  idSeed?: number;
  /** Default 0: a free port. */
  port?: number;
  /**
   * Keep the account (groups, rules, versions, clusters, the id sequence) and the call log in this
   * directory: an emulator opened on it again resumes them, and `seed` is used only the first time.
   */
  stateDir?: string;
  onUnexpectedError?: (error: unknown) => void;
}

export interface TencentCloudEmulator {
  /** True when `stateDir` held an account that was loaded instead of the seed. */
  readonly restored: boolean;
  /** `port` overrides the option's for this start (0: a free one). */
  start(port?: number): Promise<{ url: string; adminUrl: string }>;
  stop(): Promise<void>;
  readonly securityGroups: SecurityGroupStore;
  readonly clusters: ClusterStore;
  readonly faults: FaultInjector;
  /** The emulated STS: issued temporary credentials, and which OIDC token it trusts. */
  readonly sts: StsAuthority;
  /** The latest counted calls in order, with the SecretId (null: anonymous) that signed each. */
  signedCalls(): SignedCall[];
  /** Calls held before or after they apply, for crash tests (`/_admin/holds` does the same). */
  readonly holds: CallHolds;
  calls(): Record<string, number>;
  /** `{ "<Action>": { "<unix second>": count } }` over the last 10 minutes of the emulator's clock. */
  callsPerSecond(): Record<string, Record<string, number>>;
  resetCalls(): void;
  state(): EmulatorStateView;
}

const maxBodyBytes = 1024 * 1024;

function defaultKubeconfig(clusterId: string): string {
  return clusterKubeconfig(clusterId, {
    url: `https://${clusterId}.ccs.tencent-cloud.com`,
    token: 'emulator-token',
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new RangeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createTencentCloudEmulator(options: TencentCloudEmulatorOptions): TencentCloudEmulator {
  const now = options.now ?? (() => new Date());
  const defaultRegion = options.region ?? 'ap-guangzhou';
  const opened = options.stateDir === undefined ? undefined : EmulatorWorldFile.open(options.stateDir);
  const restored = opened?.restored;
  const random = seededRandom(options.idSeed ?? 1);
  let idDraws = 0;
  const draw = () => {
    idDraws += 1;
    return random();
  };
  // A restored generator skips what it drew before, so no id is handed out twice.
  for (let i = 0; i < (restored?.idDraws ?? 0); i += 1) draw();
  const newId = resourceIdGenerator(draw);
  const groupsPerRegion = options.quotas?.groupsPerRegion ?? 50;
  const rulesPerDirection = options.quotas?.rulesPerDirection ?? 100;
  const securityGroups = new SecurityGroupStore({ now, newId, groupsPerRegion });
  const clusters = new ClusterStore(
    restored === undefined ? (options.seed?.clusters ?? []) : [],
    defaultRegion,
    now().toISOString().slice(0, 19) + 'Z',
  );
  if (restored === undefined) {
    seedSecurityGroups(securityGroups, options.seed?.securityGroups ?? [], defaultRegion, newId);
  } else {
    for (const group of restored.groups) securityGroups.put(group);
    for (const cluster of restored.clusters) clusters.put(cluster);
  }
  const saveWorld = () =>
    opened?.file.save({ groups: securityGroups.all(), clusters: clusters.all(), idDraws });
  saveWorld();
  const sts = new StsAuthority(options.sts ?? {}, now);
  const world: EmulatorWorld = {
    groups: securityGroups,
    clusters,
    rulesPerDirection,
    limits: securityGroupLimits({ groupsPerRegion, rulesPerDirection }, options.reportedLimits),
    kubeconfigFor: options.kubeconfigFor ?? defaultKubeconfig,
    sts,
  };
  const actionsByVersion = { '2017-03-12': vpcActions, '2018-05-25': tkeActions, '2018-08-13': stsActions };
  const overrides = options.rateLimits === false ? {} : (options.rateLimits ?? {});
  const limiter =
    options.rateLimits === false
      ? undefined
      : new ActionRateLimiter(
          (action) =>
            overrides[action] ??
            vpcActions[action]?.rateLimit ??
            tkeActions[action]?.rateLimit ??
            stsActions[action]?.rateLimit ??
            20,
          now,
        );
  const faults = new FaultInjector();
  const holds = new CallHolds();
  const callCounter = new CallCounter(now);
  const signers = new SignerLog(now);
  for (const call of opened?.calls ?? []) callCounter.count(call.action, new Date(call.at));
  signers.restore(opened?.calls ?? []);
  const calls = () => callCounter.totals();
  const callsPerSecond = () => callCounter.perSecond();
  const resetCalls = () => {
    callCounter.reset();
    signers.reset();
    opened?.file.recordReset(now().toISOString());
  };
  const state = () => emulatorStateView(securityGroups, clusters, world.limits);
  let server: Server | undefined;
  // Ends latencies and timeout holds when the emulator stops, so no call keeps a test waiting.
  let stopping = new AbortController();

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(413).end();
      return;
    }
    if ((req.url ?? '').startsWith('/_admin')) {
      if (handleStsAdminRequest(req, res, body, { sts, signers })) return;
      await handleAdminRequest(req, res, body, {
        calls,
        callsPerSecond,
        resetCalls,
        state,
        faults,
        holds,
        clusters,
        changed: saveWorld,
      });
      return;
    }
    // API 3.0 takes POST (JSON body) and GET (parameters in the query string), both at `/`.
    const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    if ((req.method !== 'POST' && req.method !== 'GET') || path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const action = req.headers['x-tc-action'];
    // A GET's parameters are its query string: holds match on that as they match on a POST's body.
    const sent = req.method === 'GET' ? query : body.toString('utf8');
    const call = { action: typeof action === 'string' ? action : '', body: sent };
    // A call dropped before it applies never reaches the world; its client sees the connection cut.
    if ((await holds.gate(call, 'before')) === 'drop') {
      res.destroy();
      return;
    }
    const result = handleApiRequest(
      req.headers,
      body,
      {
        credentials: options.credentials,
        temporaryCredential: (secretId) => sts.find(secretId),
        now,
        actionsByVersion,
        world,
        limiter,
        faults,
        countCall: (action, at) => callCounter.count(action, at),
        logCall: (action, signer) => {
          signers.record(action, signer);
          opened?.file.recordCall({ action, ...signer, at: now().toISOString() });
        },
        newRequestId: randomUUID,
        onUnexpectedError: options.onUnexpectedError,
      },
      { method: req.method, query, callerIp: req.socket.remoteAddress },
    );
    if (result.applied) saveWorld();
    if (result.latencyMs > 0)
      await sleep(result.latencyMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    // Only a call that changed the world is held after: a refused one has no side effect to hide.
    if (result.applied && (await holds.gate(call, 'after')) === 'drop') {
      res.destroy();
      return;
    }
    await sendApiAnswer(req, res, result, stopping.signal);
  }

  return {
    restored: restored !== undefined,
    securityGroups,
    clusters,
    faults,
    holds,
    sts,
    signedCalls: () => signers.list(),
    calls,
    callsPerSecond,
    resetCalls,
    state,
    async start(port = options.port ?? 0) {
      if (server) throw new Error('the Tencent Cloud emulator is already started');
      stopping = new AbortController();
      // Every call in its latency or answer listens: dozens at once under load are normal.
      setMaxListeners(0, stopping.signal);
      const started = createServer((req, res) => {
        onRequest(req, res).catch((error: unknown) => {
          options.onUnexpectedError?.(error);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
      server = started;
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(port, '127.0.0.1', () => resolve());
      }).catch((error: unknown) => {
        server = undefined;
        throw error;
      });
      const url = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
      return { url, adminUrl: `${url}/_admin` };
    },
    async stop() {
      const running = server;
      server = undefined;
      if (!running) return;
      stopping.abort();
      await new Promise<void>((resolve, reject) => {
        running.close((error) => (error ? reject(error) : resolve()));
        running.closeAllConnections();
      });
    },
  };
}
