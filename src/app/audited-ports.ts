/**
 * A cluster's cloud and Kubernetes ports with every call audited under one context (a request, its
 * step, its cluster), and the cloud's calls retried — each attempt a call of its own in the trail.
 */
import { cloudActions } from '../ports/cloud-network.ts';
import type { CloudNetwork } from '../ports/cloud-network.ts';
import { clusterActions } from '../ports/cluster.ts';
import type { Cluster } from '../ports/cluster.ts';
import type { ClusterPorts } from '../clusters/cluster-directory.ts';
import { auditPort } from '../audit/audit-port.ts';
import type { AuditContext, AuditPortOptions, AuditSink } from '../audit/audit-port.ts';
import type { AuditWriteBehind } from '../audit/audit-write-behind.ts';
import { cloudTargetOf } from '../audit/cloud-target-of.ts';
import { clusterTargetOf } from '../audit/cluster-target-of.ts';
import { shareClusterReads } from '../clusters/share-cluster-reads.ts';
import { retryCloudCalls } from '../../adapters/tencentcloud/retry-cloud-calls.ts';

export interface AuditedPortsOptions {
  sink: AuditSink;
  context: Omit<AuditContext, 'system'>;
  secrets: () => readonly string[];
  writeBehind?: AuditWriteBehind;
  /** Wraps each audited port (a stopping replica starts no new call); none by default. */
  guard?: <P extends object>(port: P) => P;
}

export function auditedPorts(
  target: Pick<ClusterPorts, 'cloud' | 'cluster' | 'callRetries' | 'readCache'>,
  options: AuditedPortsOptions,
): { cloud: CloudNetwork; cluster: Cluster } {
  const { sink, context, secrets, writeBehind } = options;
  const guard = options.guard ?? (<P extends object>(port: P) => port);
  const audited = <P extends object>(
    port: P,
    actions: Parameters<typeof auditPort<P>>[1],
    system: AuditContext['system'],
    targetOf: NonNullable<AuditPortOptions<P>['targetOf']>,
  ) =>
    guard(
      auditPort<P>(
        port,
        actions,
        sink,
        { ...context, system },
        {
          targetOf,
          secrets,
          ...(writeBehind ? { writeBehind } : {}),
        },
      ),
    );
  const shared = (cloud: CloudNetwork) =>
    target.readCache ? shareClusterReads(cloud, target.readCache) : cloud;
  return {
    // Retries wrap the audit decorator: every attempt is a call, and every call is audited; once
    // the replica stops, retries end and nothing more is audited.
    // Shared reads sit outside both: an answer shared from the cache is no call, so no row.
    cloud: shared(
      retryCloudCalls(
        audited<CloudNetwork>(target.cloud, cloudActions, 'tencentcloud', cloudTargetOf),
        target.callRetries,
      ),
    ),
    cluster: audited<Cluster>(target.cluster, clusterActions, 'kubernetes', clusterTargetOf),
  };
}
