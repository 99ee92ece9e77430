/**
 * Deployments in the simulator for the bench: create super-node apps and wait until available, and
 * the baseline rollout (a template restart with nobody but the simulator involved, timed until
 * `kubectl rollout status` would say it is done).
 */
import type { KubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { superNodeDeployment } from '../../test/helpers/super-node-deployment.ts';
import type { DeployArgs } from './stand-ins-protocol.ts';

interface DeploymentView {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function view(sim: KubernetesSimulator, namespace: string, name: string): DeploymentView | undefined {
  return sim.get('deployments', namespace, name) as DeploymentView | undefined;
}

/** The test `kubectl rollout status` applies: observed, all updated, no old replicas, all available. */
export function rolledOut(d: DeploymentView | undefined): boolean {
  const want = d?.spec?.replicas ?? 0;
  const s = d?.status;
  return (
    s !== undefined &&
    (s.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 0) &&
    s.updatedReplicas === want &&
    s.replicas === want &&
    s.availableReplicas === want
  );
}

export async function deployApps(sim: KubernetesSimulator, args: DeployArgs): Promise<number> {
  const started = Date.now();
  for (const namespace of new Set(args.apps.map((a) => a.namespace))) {
    if (!sim.get('namespaces', undefined, namespace))
      sim.create('namespaces', undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
  }
  for (const { app, namespace } of args.apps)
    sim.create(
      'deployments',
      namespace,
      superNodeDeployment({
        app,
        namespace,
        replicas: args.replicas,
        ...(args.maxSurge !== undefined ? { maxSurge: args.maxSurge } : {}),
        ...(args.maxUnavailable !== undefined ? { maxUnavailable: args.maxUnavailable } : {}),
      }),
    );
  await sim.settle();
  const deadline = Date.now() + args.timeoutMs;
  let pending = args.apps;
  while (pending.length > 0) {
    pending = pending.filter((a) => !rolledOut(view(sim, a.namespace, a.app)));
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending.length} deployments never became available`);
    await sleep(20);
  }
  return Date.now() - started;
}

/** Restarts a Deployment the way `kubectl rollout restart` does and returns the ms until it is rolled out. */
export async function restartAndWait(
  sim: KubernetesSimulator,
  args: { namespace: string; name: string; timeoutMs: number },
): Promise<number> {
  const started = performance.now();
  sim.patch(
    'deployments',
    args.namespace,
    args.name,
    {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } },
        },
      },
    },
    'application/strategic-merge-patch+json',
  );
  const deadline = Date.now() + args.timeoutMs;
  // Poll the in-process store often: a coarse poll would add its own interval to the baseline.
  while (!rolledOut(view(sim, args.namespace, args.name))) {
    if (Date.now() > deadline) throw new Error(`${args.namespace}/${args.name} never rolled out`);
    await sleep(2);
  }
  return performance.now() - started;
}
