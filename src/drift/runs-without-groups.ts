/**
 * Whether a pod the pod watch hears runs without any security group of its own: on a normal node,
 * or on a super node that started it before (or without) its policy. Only such a pod of a granted
 * app can be drift a sweep would report, so only a change of this answer asks for a sweep — not
 * every restart or status update of every pod. A pod on its way out, or finished, is not running.
 */
import type { PodInfo } from '../ports/cluster.ts';

export function runsWithoutGroups(pod: PodInfo): boolean {
  if (pod.terminating || pod.phase === 'Succeeded' || pod.phase === 'Failed') return false;
  return pod.nodeName !== null && pod.securityGroupIds.length === 0;
}
