/**
 * How a step job runs: the request's cluster reached through its account and region, its ports
 * audited per job (so every call carries the request, the step and the cluster) and retried,
 * its outcome rows written behind and flushed before the result goes back, and its time counted.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ClusterDirectory } from '../clusters/cluster-directory.ts';
import type { StepRunner } from '../engine/workers.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { Metrics } from '../metrics/create-metrics.ts';
import type { AuditSink } from '../audit/audit-port.ts';
import { createAuditWriteBehind } from '../audit/audit-write-behind.ts';
import { auditedPorts } from './audited-ports.ts';
import { closeInterruptedCalls } from '../audit/close-interrupted-calls.ts';
import { waitUntilReachable } from '../startup/wait-until-reachable.ts';
import { AppError, isAppError, toAppError } from '../errors.ts';
import { createRuleWriteBatches } from '../../workflows/shared/groups/rule-write-batches.ts';
import { createRedisGroupWriteLock } from '../../adapters/redis/redis-group-write-lock.ts';
import type { WorkflowModule } from '../../workflows/index.ts';

/** How long a step waits for Postgres to write its calls' outcome rows before it gives them up. */
const auditFlushPatienceMs = 60_000;

export interface StepRunnerDeps {
  store: Store;
  workflows: Record<string, WorkflowModule>;
  clusterPorts: ClusterDirectory;
  auditSink: AuditSink;
  /** The secrets to mask in the trail, read at each call (the list grows). */
  currentSecrets: () => readonly string[];
  /** Who owns what, as the workflows' `owners` port. */
  policy: Policy;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
}

export function createStepRunner(
  config: Config,
  deps: StepRunnerDeps,
): { runStep: StepRunner; close(): Promise<void> } {
  const { store, workflows, clusterPorts, auditSink, policy, metrics, clock, logger } = deps;
  const secrets = deps.currentSecrets;
  // Writes into one security group take turns across replicas, so grants stop racing on its Version.
  const groupWrites = createRedisGroupWriteLock({
    url: config.redis.url,
    keyPrefix: `${config.redis.prefix}:group-writes`,
    logger,
  });
  // Steps of this process waiting for the same group's turn add their rules in one read and write
  // (when configured: see workflow.batchGroupWrites).
  const ruleBatches = config.workflow.batchGroupWrites ? createRuleWriteBatches() : undefined;
  const grantSettings = {
    clusterGroupName: (clusterId: string) =>
      config.tencentcloud.clusterGroupNameTemplate.replace('{clusterId}', clusterId),
    addonName: config.tencentcloud.addonName,
    pollDelayMs: config.workflow.pollDelayMs,
    rolloutWaitMs: config.workflow.rolloutWaitMs,
  };

  const runStep: StepRunner = async ({ workflow, requestId, step, context, signal, calls }) => {
    // The request's own cluster, reached through its account and region.
    const target = await clusterPorts.portsFor((context as { spec: { clusterId: string } }).spec.clusterId);
    // Ports are audited per job, so every call carries the request, the step and the cluster.
    const auditContext = { requestId, actor: 'sgops', step, clusterId: target.clusterId };
    // Outcome rows are written with the next call's intent instead of on their own; flushed below.
    const writeBehind = createAuditWriteBehind(auditSink);
    // Every call of the step is audited, and a stopping replica starts no new one (calls.guard).
    const audited = auditedPorts(target, {
      sink: auditSink,
      context: auditContext,
      secrets,
      writeBehind,
      guard: (port) => calls.guard(port),
    });
    const ports = {
      ...audited,
      groupWrites,
      ...(ruleBatches ? { ruleBatches } : {}),
      clock,
      settings: { ...grantSettings, region: target.region },
      owners: policy,
      signal,
    };
    const run = workflows[workflow]?.steps(ports)[step];
    if (!run) throw new AppError('INTERNAL', `Workflow ${workflow} has no step ${step}.`);
    const interrupted = await closeInterruptedCalls(store, requestId, step);
    if (interrupted > 0)
      logger.warn({ requestId, step, interrupted }, 'closed calls a stopped process left open');
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    // The calls' outcome rows outlive a short database outage: written once it is back, so
    // the trail says what happened rather than that it was interrupted.
    const flushAudit = () =>
      waitUntilReachable(() => writeBehind.flush(), {
        isOutage: (e) => isAppError(e) && e.code === 'DATABASE_UNAVAILABLE',
        maxDelayMs: 2000,
        giveUpAfterMs: auditFlushPatienceMs,
      });
    try {
      const result = await run(context as never);
      await flushAudit();
      metrics.observeStep(workflow, step, result.status, seconds());
      return result;
    } catch (error) {
      // The step's error is what it reports; its outcome rows are still written first, once
      // every call it started has answered (one refused while another still ran, say).
      await calls.settled();
      await flushAudit().catch(() => undefined);
      metrics.observeStep(workflow, step, toAppError(error).code, seconds());
      throw error;
    }
  };
  return { runStep, close: () => groupWrites.close() };
}
