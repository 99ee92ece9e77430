/**
 * What the steps of grant and revoke may touch: the two audited ports, the turns of writes into a security group,
 * a clock, and a few names from config.
 */
import type { Clock } from '../../src/ports/clock.ts';
import type { CloudNetwork } from '../../src/ports/cloud-network.ts';
import type { Cluster } from '../../src/ports/cluster.ts';
import type { GroupOwners } from '../../src/ports/group-owners.ts';
import type { GroupWriteLock } from '../../src/ports/group-write-lock.ts';
import type { RuleWriteBatches } from './groups/rule-write-batches.ts';

export interface GrantSettings {
  /** Region the cloud client is configured for; named in precondition messages. */
  region: string;
  /** `tke-worker-security-for-<cluster-id>` unless the operator's clusters differ. */
  clusterGroupName(clusterId: string): string;
  addonName: string;
  /** Delay before a step that is still waiting looks again. */
  pollDelayMs: number;
  /** How long one run of recreatePods watches a rollout before it re-arms (bounded: never minutes). */
  rolloutWaitMs: number;
}

export interface StepPorts {
  cloud: CloudNetwork;
  cluster: Cluster;
  /** Every read-then-write of a group's rules runs inside it (one writer per group, all replicas). */
  groupWrites: GroupWriteLock;
  /** Rule additions to one group gathered while they wait for its turn (one per process); none: each alone. */
  ruleBatches?: RuleWriteBatches;
  clock: Clock;
  settings: GrantSettings;
  /** Aborted when the worker shuts down: waits end early and the step re-arms. */
  signal?: AbortSignal;
}

/** Planning also asks who owns each group a request touches, to name each sign-off it needs. */
export interface PlanningPorts extends StepPorts {
  owners: GroupOwners;
}
