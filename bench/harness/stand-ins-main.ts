/**
 * The child process that hosts the stand-ins (Tencent Cloud emulator, Kubernetes simulator and,
 * when asked, the fake Slack and WeCom APIs), so their CPU work never runs on the event loop of the
 * sgops app being measured. Driven by IPC requests from stand-ins.ts.
 */
import { createTencentCloudEmulator, sandboxCloudSeed } from '../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { startChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { clusterId, credentials } from '../../test/helpers/test-world.ts';
import type { StandInsOptions, StandInsRequest } from './stand-ins-protocol.ts';
import { deployApps, restartAndWait } from './simulator-deployments.ts';
import { cpuMsOf } from './cpu-ms.ts';
import { startDelayingProxy } from './delaying-proxy.ts';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as StandInsOptions;
  const emulator = createTencentCloudEmulator({
    credentials: [credentials],
    seed: sandboxCloudSeed(clusterId),
    ...(options.quotas ? { quotas: options.quotas } : {}),
    ...(options.cloudRateLimits === false ? { rateLimits: false as const } : {}),
  });
  const cloud = await emulator.start();
  if (options.cloudLatencyMs) emulator.faults.configure({ seed: 1, latencyMs: options.cloudLatencyMs });
  const simulator = createKubernetesSimulator({ podStartLatencyMs: options.podStartLatencyMs ?? 30 });
  const served = await simulator.start();
  const proxy = options.kubeLatencyMs ? await startDelayingProxy(served.url, options.kubeLatencyMs) : null;
  const kube = proxy ?? served;
  await seedSampleWorld(simulator);
  const fakes: ChatFakes | null = options.chatFakes ? await startChatFakes() : null;

  const handlers: Record<StandInsRequest['op'], (args: never) => Promise<unknown> | unknown> = {
    calls: () => ({ cloud: emulator.calls(), kube: simulator.calls() }),
    cloudCallsPerSecond: () => emulator.callsPerSecond(),
    resetCalls: () => {
      emulator.resetCalls();
      simulator.resetCalls();
      return null;
    },
    configureKubelet: (args: { startLatencyMs?: number }) => simulator.configureKubelet(args),
    deploy: (args: Parameters<typeof deployApps>[1]) => deployApps(simulator, args),
    restartAndWait: (args: { namespace: string; name: string; timeoutMs: number }) =>
      restartAndWait(simulator, args),
    slackCalls: () => fakes?.slackApi.calls().length ?? 0,
    cpuMs: () => cpuMsOf(process.cpuUsage()),
    stop: async () => {
      await Promise.all([emulator.stop(), proxy?.stop(), simulator.stop(), fakes?.stop()]);
      setImmediate(() => process.exit(0));
      return null;
    },
  };

  process.on('message', (raw) => {
    const request = raw as StandInsRequest & { id: number };
    Promise.resolve()
      .then(() => handlers[request.op](request.args as never))
      .then(
        (value) => process.send!({ id: request.id, ok: true, value }),
        (error: unknown) => process.send!({ id: request.id, ok: false, error: String(error) }),
      );
  });
  // The parent's death ends us too: never leave servers behind.
  process.on('disconnect', () => process.exit(0));

  const slack = fakes ? (({ fakeApiUrl: _f, ...rest }) => rest)(fakes.slack) : null;
  const wecom = fakes ? (({ fakeApiUrl: _f, ...rest }) => rest)(fakes.wecom) : null;
  process.send!({ ready: true, cloudUrl: cloud.url, kubeUrl: kube.url, slack, wecom });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
