/**
 * The seed's steps 7–9 replayed in a real sandbox process, as issue 19 asks: a grant done; a probe
 * pod resolves the app by name; the cluster group's DNS rules are deleted through the Tencent SDK
 * (step 8); the drift watch names the two missing rules; a probe by name now fails; `repair`,
 * approved, writes back exactly those two rules (the emulator's call log); a probe by name works
 * again, and the grant is as approved. Driven from outside: `sgops say`, the SDK and client-node
 * with the sandbox's own kubeconfig, as a person would.
 */
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../src/sandbox/sandbox-file.ts';
import { sandboxVpcClient } from '../helpers/sandbox-vpc-client.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import { sampleApplication } from '../../adapters/kubernetes/simulator/sample-application.ts';
import { spawnSandbox } from '../helpers/spawn-sandbox.ts';

const run = promisify(execFile);
const bin = path.resolve('bin/sgops.js');
const ns = 'my-namespace';

describe('the seed’s steps 7–9 in the sandbox, with drift found and repaired', () => {
  let stateDir = '';
  let sandbox: ChildProcess;
  let info: SandboxInfo;
  let core: k8s.CoreV1Api;
  let vpc: ReturnType<typeof sandboxVpcClient>;

  const say = async (person: string, line: string) => {
    const { stdout } = await run(
      'node',
      [bin, 'say', '--as', person, line, '--json', '--timeout', '90', '--state-dir', stateDir],
      { timeout: 90_000 },
    );
    return stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; kind: string; requestId?: string; state?: string });
  };
  const stateOf = async (id: string) => (await say('alice', `status request ${id}`))[0]!;
  const until = async <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const settled = (id: string, states: string[]) =>
    until(
      async () => {
        const status = await stateOf(id);
        return states.includes(status.state ?? '') ? status : undefined;
      },
      `${id} to be ${states.join('|')}`,
    );

  /** A bare pod of the app on a super node running the sandbox's probe; its phase and log. */
  let probes = 0;
  const probe = async () => {
    probes += 1;
    const name = `probe-${probes}`;
    const template = sampleApplication(ns).deployment.spec.template.spec;
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: {
          name,
          labels: { app: 'my-app', role: 'probe' },
          annotations: { 'sgops.io/probe': JSON.stringify({ dns: 'my-app' }) },
        },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'probe', image: 'curlimages/curl:8.8.0' }],
          nodeSelector: template.nodeSelector,
          tolerations: template.tolerations,
        } as k8s.V1PodSpec,
      },
    });
    const phase = await until(async () => {
      const p = (await core.readNamespacedPod({ namespace: ns, name })).status?.phase;
      return p === 'Succeeded' || p === 'Failed' ? p : undefined;
    }, `${name} to finish`);
    return { phase, log: await core.readNamespacedPodLog({ namespace: ns, name }) };
  };
  const clusterDnsRules = async (podGroupId: string) =>
    (
      await vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: 'sg-sandbox1' })
    ).SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '53' && r.SecurityGroupId === podGroupId);

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sgops-seed-replay-'));
    sandbox = (await spawnSandbox(stateDir)).child;
    info = JSON.parse(await readFile(path.join(stateDir, 'sandbox.json'), 'utf8')) as SandboxInfo;
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(info.kubernetes.kubeconfig);
    core = kubeConfig.makeApiClient(k8s.CoreV1Api);
    vpc = sandboxVpcClient(info);
  }, 150_000);

  afterAll(async () => {
    if (sandbox && sandbox.exitCode === null) {
      const exited = new Promise((resolve) => sandbox.once('exit', resolve));
      sandbox.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (sandbox.exitCode === null) sandbox.kill('SIGKILL');
    }
    await rm(stateDir, { recursive: true, force: true });
  });

  it('finds the two DNS rules deleted, repairs exactly them, and names resolve again', async () => {
    // Step 7: the grant, and a probe by name through it.
    const grantId = (await say('alice', 'grant pod SG to app my-app in my-namespace'))[0]!.requestId!;
    await settled(grantId, ['awaitingApproval']);
    await say('bob', `approve ${grantId}`);
    expect((await settled(grantId, ['done', 'needsAttention', 'failed'])).state).toBe('done');
    const podGroupId = (
      await vpc.DescribeSecurityGroups({
        Filters: [{ Name: 'security-group-name', Values: ['sgops-my-namespace-my-app'] }],
      })
    ).SecurityGroupSet![0]!.SecurityGroupId!;
    const before = await probe();
    expect(before.phase).toBe('Succeeded');
    expect(before.log).toMatch(/^dns my-app: \d+\.\d+\.\d+\.\d+$/m);

    // Step 8: the cluster group's DNS rules go, by hand.
    const dns = await clusterDnsRules(podGroupId);
    expect(dns.map((r) => r.Protocol).sort()).toEqual(['TCP', 'UDP']);
    await vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: { Ingress: dns.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
    });

    // Within one sweep (15 s in the sandbox) the grant says which two rules are missing.
    const drifted = await until(
      async () => {
        const status = await stateOf(grantId);
        return status.text.includes('Not as approved') ? status : undefined;
      },
      'the drift to be told',
      60_000,
    );
    expect(drifted.text).toContain(
      `The DNS rule UDP 53 from ${podGroupId} is missing from the cluster group sg-sandbox1.`,
    );
    expect(drifted.text).toContain(
      `The DNS rule TCP 53 from ${podGroupId} is missing from the cluster group sg-sandbox1.`,
    );

    // Step 9: by name fails now.
    const broken = await probe();
    expect(broken.phase).toBe('Failed');
    expect(broken.log).toContain('dns my-app: timed out');

    // Repair, approved: exactly the two rules are written back.
    const repairId = (await say('alice', `repair ${grantId}`))[0]!.requestId!;
    await settled(repairId, ['awaitingApproval']);
    const approvedAt = new Date().toISOString();
    await say('bob', `approve ${repairId}`);
    expect((await settled(repairId, ['done', 'failed', 'nothingToRepair'])).state).toBe('done');
    const calls = (await readFile(path.join(stateDir, 'world', 'cloud-calls.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action?: string; at?: string })
      .filter(
        (c) => c.action !== undefined && c.at! >= approvedAt && cloudWriteActions.has(c.action as never),
      );
    expect(calls.map((c) => c.action)).toEqual(['CreateSecurityGroupPolicies']);
    expect((await clusterDnsRules(podGroupId)).map((r) => r.Protocol).sort()).toEqual(['TCP', 'UDP']);

    // By name works again, and the next sweep finds the grant as approved.
    const fixed = await probe();
    expect(fixed.phase).toBe('Succeeded');
    expect(fixed.log).toMatch(/^dns my-app: \d+\.\d+\.\d+\.\d+$/m);
    await until(
      async () => {
        const status = await stateOf(grantId);
        return status.text.includes('Not as approved') ? undefined : status;
      },
      'the drift to be cleared',
      60_000,
    );
  }, 300_000);
});
