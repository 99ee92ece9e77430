/**
 * One sweep of the drift watch: for every grant still in force, what its approval made is compared
 * with the world (the cloud's rules, the policy, the account's label, the pods), and the finding is
 * delivered to the grant as a `drift` event. The grant's machine decides what is news: the same
 * finding again changes nothing and tells nobody, so a sweep run twice (two replicas, a sweep taken
 * over after a crash) reports each change once. Reads only; each grant's reads are audited under it.
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../ports/clock.ts';
import type { StepPorts } from '../../workflows/shared/step-ports.ts';
import { approvedState } from '../../workflows/shared/drift/approved-state.ts';
import type { ApprovalRecord } from '../../workflows/shared/drift/approved-state.ts';
import { driftFingerprint, findDrift } from '../../workflows/shared/drift/find-drift.ts';
import { newSweepReads, readObserved } from '../../workflows/shared/drift/read-observed.ts';
import type { Targeted } from '../../workflows/shared/pods/target-pods.ts';
import { watchedGrants } from './watched-grants.ts';

export interface DriftSweepDeps {
  store: Store;
  engine: Pick<Engine, 'read' | 'deliver'>;
  /** The grant's cluster reached through its account, its calls audited under the grant. */
  portsFor(grant: { requestId: string; clusterId: string }): Promise<Pick<StepPorts, 'cloud' | 'cluster'>>;
  clock: Clock;
  logger: Logger;
}

export interface SweepSummary {
  grants: number;
  /** Grants found not as approved in this sweep. */
  drifted: number;
  /** Grants whose finding was news (told to people). */
  told: number;
  /** Grants that could not be looked at (a cluster away); tried again next sweep. */
  failed: number;
}

export async function sweepDrift(deps: DriftSweepDeps): Promise<SweepSummary> {
  const { store, engine, clock, logger } = deps;
  const reads = newSweepReads();
  const summary: SweepSummary = { grants: 0, drifted: 0, told: 0, failed: 0 };
  for (const grant of await watchedGrants(store)) {
    try {
      const view = await engine.read(grant.id);
      const context = view?.context as (ApprovalRecord & { spec: Targeted }) | undefined;
      const approved = context ? approvedState(context) : null;
      if (!context || !approved) continue;
      summary.grants += 1;
      const ports = await deps.portsFor({ requestId: grant.id, clusterId: grant.clusterId });
      const items = findDrift(
        approved,
        await readObserved(ports, { clusterId: grant.clusterId, spec: context.spec }, approved, reads),
      );
      if (items.length > 0) summary.drifted += 1;
      const moved = await engine.deliver(grant.id, {
        type: 'drift',
        fingerprint: driftFingerprint(items),
        notes: items.map(({ key, said }) => ({ key, said })),
        at: clock.now().toISOString(),
      });
      if (moved.changed) summary.told += 1;
    } catch (error) {
      summary.failed += 1;
      logger.warn({ err: error, requestId: grant.id }, 'drift watch could not look at a grant');
    }
  }
  return summary;
}
