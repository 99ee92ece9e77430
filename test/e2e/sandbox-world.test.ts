import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tc from 'tencentcloud-sdk-nodejs';
import * as k8s from '@kubernetes/client-node';
import { stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../src/sandbox/sandbox-file.ts';
import { sandboxPolicy } from '../../src/sandbox/sandbox-policy.ts';
import { freePort } from '../../src/sandbox/free-port.ts';
import { spawnSandbox } from '../helpers/spawn-sandbox.ts';

const run = promisify(execFile);
const bin = path.resolve('bin/sgops.js');
const writeActions = /^(Create|Delete|Modify|Replace)/;

interface Said {
  text: string;
  kind: string;
  requestId?: string;
  state?: string;
}

/** One `sgops sandbox` process on a state directory, as a person runs it in a terminal. */
class SandboxProcess {
  child: ChildProcess | undefined;
  info!: SandboxInfo;
  constructor(readonly stateDir: string) {}

  /** Starts it in a process group of its own, so a test can kill -9 all of it as a crash would. */
  async start(): Promise<void> {
    this.child = (await spawnSandbox(this.stateDir, { detached: true })).child;
    this.info = JSON.parse(await readFile(path.join(this.stateDir, 'sandbox.json'), 'utf8')) as SandboxInfo;
  }

  async interrupt(): Promise<void> {
    const child = this.child!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }

  /** kill -9 of the whole process group: the bot, PGlite and the private redis-server all at once. */
  async crash(): Promise<void> {
    const child = this.child!;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }

  async say(person: string, line: string, env: NodeJS.ProcessEnv = {}): Promise<Said[]> {
    const { stdout } = await run(
      'node',
      [bin, 'say', '--as', person, line, '--json', '--timeout', '90', '--state-dir', this.stateDir],
      { timeout: 90_000, env: { ...process.env, ...env } },
    );
    return stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Said);
  }

  /** The request's state once it is `wanted`, or the last seen after 120 s, as `status request` says it. */
  async stateAfter(requestId: string, wanted: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
    let state = '';
    const started = Date.now();
    while (state !== wanted && Date.now() - started < 120_000) {
      state = (await this.say('alice', `status request ${requestId}`, env).catch(() => [{ state: '' }]))[0]!
        .state!;
      if (state !== wanted) await new Promise((r) => setTimeout(r, 1000));
    }
    return state;
  }

  /** Every call the emulated cloud answered or held, across every run on this directory. */
  async cloudCalls(): Promise<string[]> {
    const text = await readFile(path.join(this.stateDir, 'world', 'cloud-calls.jsonl'), 'utf8');
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { action: string }).action);
  }

  async cloudWrites(): Promise<Record<string, number>> {
    const writes: Record<string, number> = {};
    for (const action of await this.cloudCalls())
      if (writeActions.test(action)) writes[action] = (writes[action] ?? 0) + 1;
    return writes;
  }

  vpc() {
    const { tencentcloud } = this.info;
    return new tc.vpc.v20170312.Client({
      credential: { secretId: tencentcloud.secretId, secretKey: tencentcloud.secretKey },
      region: tencentcloud.region,
      profile: {
        httpProfile: {
          endpoint: new URL(tencentcloud.endpoint).host,
          protocol: 'http://',
          agent: new http.Agent(),
        } as never,
      },
    });
  }

  /** client-node with the kubeconfig file exactly as the sandbox wrote it. */
  kubeconfig(): k8s.KubeConfig {
    const config = new k8s.KubeConfig();
    config.loadFromFile(this.info.kubernetes.kubeconfig);
    return config;
  }

  /** What a person would compare: the sgops groups with their rules, and the policies. */
  async world() {
    const vpc = this.vpc();
    const groups = await vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['sgops-my-namespace-my-app'] }],
    });
    const ids = (groups.SecurityGroupSet ?? []).map((g) => g.SecurityGroupId!);
    const rules = await Promise.all(
      ['sg-sandbox1', ...ids].map(async (id) => {
        const set = (await vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: id }))
          .SecurityGroupPolicySet!;
        return { id, version: set.Version, ingress: set.Ingress, egress: set.Egress };
      }),
    );
    const custom = this.kubeconfig().makeApiClient(k8s.CustomObjectsApi);
    const policies = (await custom.listNamespacedCustomObject({
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: 'my-namespace',
      plural: 'securitygrouppolicies',
    })) as { items: { metadata: { name: string; resourceVersion: string }; spec: unknown }[] };
    return {
      ids,
      rules,
      policies: policies.items.map((p) => ({ name: p.metadata.name, spec: p.spec })),
    };
  }
}

async function grantAndApprove(sandbox: SandboxProcess, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const opened = await sandbox.say('alice', 'grant pod SG to app my-app in my-namespace', env);
  const requestId = opened[0]!.requestId!;
  expect(opened.find((m) => m.kind === 'plan')?.state).toBe('awaitingApproval');
  await sandbox.say('bob', `approve ${requestId}`, env);
  return requestId;
}

describe('a sandbox world kept in its state directory', () => {
  let restarted: SandboxProcess;
  let crashed: SandboxProcess;

  beforeAll(async () => {
    restarted = new SandboxProcess(await mkdtemp(path.join(os.tmpdir(), 'sgops-world-a-')));
    crashed = new SandboxProcess(await mkdtemp(path.join(os.tmpdir(), 'sgops-world-b-')));
  });

  afterAll(async () => {
    for (const sandbox of [restarted, crashed]) {
      if (sandbox?.child?.exitCode === null) process.kill(-sandbox.child.pid!, 'SIGKILL');
      await rm(sandbox.stateDir, { recursive: true, force: true });
    }
  });

  it('starts two sandboxes at the same moment on different state directories, each on ports of its own', async () => {
    await Promise.all([restarted.start(), crashed.start()]);
    const ports = (info: SandboxInfo) =>
      [info.console.url, info.tencentcloud.endpoint, info.kubernetes.server, info.redis.url].map(
        (u) => new URL(u).port,
      );
    const both = [...ports(restarted.info), ...ports(crashed.info)];
    expect(new Set(both).size).toBe(8);
    expect(restarted.info.kubernetes.server).toMatch(/^https:/);
  }, 150_000);

  it('finds the same groups, rules and policy after Ctrl-C and a restart, and a second grant writes nothing', async () => {
    const first = await grantAndApprove(restarted);
    expect(await restarted.stateAfter(first, 'done')).toBe('done');
    const before = await restarted.world();
    expect(before.ids).toHaveLength(1);
    expect(before.policies.map((p) => p.name)).toEqual(['sgops-my-app']);
    const writesBefore = await restarted.cloudWrites();

    await restarted.interrupt();
    await restarted.start();
    expect(await restarted.world()).toEqual(before);
    const app = (await restarted.say('alice', 'status app my-app'))[0]!.text;
    expect(app).toContain(`policy: sgops-my-app → ${before.ids[0]}`);
    const policies = (await restarted.say('alice', 'status policies'))[0]!.text;
    expect(policies).toContain(
      `sgops-my-app in my-namespace · selects pods app=my-app · groups ${before.ids[0]}`,
    );
    expect((await restarted.say('alice', `status request ${first}`))[0]!.state).toBe('done');

    const second = await grantAndApprove(restarted);
    expect(await restarted.stateAfter(second, 'done')).toBe('done');
    expect(await restarted.cloudWrites()).toEqual(writesBefore);
    expect((await restarted.world()).ids).toEqual(before.ids);
  }, 300_000);

  it('serves `sgops start` through the kubeconfig file as written: a grant runs to done', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-start-'));
    const port = await freePort();
    const { info } = restarted;
    const configPath = path.join(dir, 'sgops.yaml');
    await writeFile(
      configPath,
      toYaml({
        logLevel: 'warn',
        redis: { url: info.redis.url, prefix: 'sgops-start-e2e' },
        database: { kind: 'pglite', path: path.join(dir, 'pglite') },
        tencentcloud: {
          secretId: info.tencentcloud.secretId,
          secretKey: info.tencentcloud.secretKey,
          region: info.tencentcloud.region,
          endpoint: info.tencentcloud.endpoint,
        },
        kubernetes: { kubeconfig: info.kubernetes.kubeconfig },
        http: { host: '127.0.0.1', port, loopbackHostsOnly: true },
        console: { mode: 'sandbox' },
        defaults: { clusterId: 'cls-sandbox1', namespace: 'my-namespace' },
        policy: sandboxPolicy,
        audit: { key: 'e2e-start-audit-key-0123456789abcdef' },
      }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, SGOPS_CONFIG: configPath };
    delete env.REDIS_URL;
    const start = spawn('node', [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    start.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    start.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 90_000;
      while ((await fetch(`${url}/readyz`).catch(() => null))?.status !== 200) {
        if (Date.now() > deadline || start.exitCode !== null)
          throw new Error(`sgops start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const viaStart = { SGOPS_CONSOLE_URL: url };
      const requestId = await grantAndApprove(restarted, viaStart);
      expect(await restarted.stateAfter(requestId, 'done', viaStart)).toBe('done');
      const status = (await restarted.say('alice', `status request ${requestId}`, viaStart))[0]!.text;
      expect(status).toContain('my-deployment-');
    } finally {
      if (start.exitCode === null) {
        const exited = new Promise<void>((resolve) => start.once('exit', () => resolve()));
        start.kill('SIGINT');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('finishes, after kill -9 right after its first cloud write and a restart, a grant it was running: every write made once', async () => {
    const admin = crashed.info.tencentcloud.adminUrl;
    // The first write applies and is kept, but the bot never hears back: the process group dies first.
    const hold = (await (
      await fetch(`${admin}/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'CreateSecurityGroup', when: 'after' }),
      })
    ).json()) as { id: string };
    const requestId = await grantAndApprove(crashed);
    const held = (await (await fetch(`${admin}/holds/${hold.id}?waitMs=60000`)).json()) as { state: string };
    expect(held.state).toBe('held');
    await crashed.crash();
    expect(await crashed.cloudWrites()).toEqual({ CreateSecurityGroup: 1 });

    await crashed.start();
    expect(await crashed.stateAfter(requestId, 'done')).toBe('done');
    expect(await crashed.cloudWrites()).toEqual({ CreateSecurityGroup: 1, CreateSecurityGroupPolicies: 3 });
    const world = await crashed.world();
    expect(world.ids).toHaveLength(1);
    expect(world.policies.map((p) => p.name)).toEqual(['sgops-my-app']);
    const { stdout } = await run('node', [bin, 'audit', 'verify', '--state-dir', crashed.stateDir]);
    expect(stdout).toMatch(/verified|ok/i);
    await crashed.interrupt();
  }, 300_000);
});
