import { AppError } from '../../../src/errors.ts';
import type { KubernetesSimulator } from './create-kubernetes-simulator.ts';
import type { KubeObject } from './kube-object.ts';

/** The same test `kubectl rollout status` applies to a Deployment. */
export function isRolledOut(d: KubeObject): boolean {
  const desired: number = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === desired &&
    (s.replicas ?? 0) === desired &&
    (s.availableReplicas ?? 0) === desired
  );
}

/** Polls the simulator until the deployment is fully rolled out; TIMEOUT after `timeoutMs`. */
export async function waitForRollout(
  sim: KubernetesSimulator,
  namespace: string,
  name: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<KubeObject> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    await sim.settle();
    const d = sim.get('deployments', namespace, name);
    if (d !== undefined && isRolledOut(d)) return d;
    if (Date.now() > deadline) {
      throw new AppError('TIMEOUT', `deployment ${namespace}/${name} did not roll out in time`, {
        details: { status: d?.status ?? null },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
