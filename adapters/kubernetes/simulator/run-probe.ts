import type { KubeObject } from './kube-object.ts';
import type { PodNetwork } from './pod-network.ts';
import type { ProbeSpec } from './probe-spec.ts';

export interface ProbeOutcome {
  ok: boolean;
  /** One line per check, as the pod's log shows it. */
  log: string;
}

/**
 * Runs a probe pod's checks once through the network model: `dns my-app: 172.16.252.10`,
 * `GET http://my-app:80/: 200 Welcome to nginx!`; any failed check fails the probe.
 */
export async function runProbe(network: PodNetwork, pod: KubeObject, spec: ProbeSpec): Promise<ProbeOutcome> {
  const lines: string[] = [];
  let ok = true;
  try {
    if (spec.dns !== undefined) {
      const answer = await network.resolve(pod, spec.dns);
      lines.push(`dns ${spec.dns}: ${answer.ok ? answer.ip : answer.reason}`);
      ok &&= answer.ok;
    }
    if (spec.http !== undefined) {
      const answer = await network.get(pod, spec.http);
      lines.push(`GET ${spec.http}: ${answer.text}`);
      ok &&= answer.ok;
    }
  } catch (error) {
    // The model could not read the cloud (an unreachable emulator): the probe cannot tell.
    lines.push(`error: ${error instanceof Error ? error.message : String(error)}`);
    ok = false;
  }
  return { ok, log: lines.map((line) => `${line}\n`).join('') };
}
