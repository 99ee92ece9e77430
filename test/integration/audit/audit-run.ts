/**
 * A realistic run of audit rows for the CLI tests: two requests with their chat decisions (one
 * refused), audited cloud and Kubernetes calls through auditPort — including a throttled write
 * whose error message carries a configured secret, which the port must redact.
 */
import { auditPort } from '../../../src/audit/audit-port.ts';
import { cloudTargetOf } from '../../../src/audit/cloud-target-of.ts';
import { clusterTargetOf } from '../../../src/audit/cluster-target-of.ts';
import { AppError } from '../../../src/errors.ts';
import { cloudActions, type CloudNetwork } from '../../../src/ports/cloud-network.ts';
import { clusterActions, type Cluster } from '../../../src/ports/cluster.ts';
import type { AuditEntry, Store } from '../../../src/store/store.ts';

function decision(
  requestId: string,
  actor: string,
  action: string,
  outcome: string,
  messageId: string,
): AuditEntry {
  return {
    requestId,
    actor,
    kind: 'decision',
    system: 'chat',
    action,
    target: requestId,
    outcome,
    durationMs: null,
    cloudRequestId: null,
    details: { platform: 'console', conversationId: 'ops', messageId },
    callId: null,
  };
}

export async function appendRealisticRun(
  store: Store,
  requestId: string,
  secrets: readonly string[],
  secretInError: string,
): Promise<void> {
  let calls = 0;
  let throttled = false;
  const cloud = {
    describeSecurityGroups: async () => ({ groups: [], requestId: `req-describe-${++calls}` }),
    createSecurityGroup: async () => ({ securityGroupId: 'sg-pod0001', requestId: `req-create-${++calls}` }),
    createSecurityGroupPolicies: async () => {
      if (!throttled) {
        throttled = true;
        // A vendor message echoing a credential: the audit must never keep it.
        throw new AppError('CLOUD_THROTTLED', `RequestLimitExceeded for key ${secretInError}`, {
          details: { requestId: `req-throttled-${++calls}` },
        });
      }
      return { requestId: `req-rules-${++calls}` };
    },
  } as unknown as CloudNetwork;
  const cluster = {
    createSecurityGroupPolicy: async (policy: unknown) => policy,
    restartWorkload: async () => undefined,
  } as unknown as Cluster;
  const context = { requestId, actor: 'sgops' };
  const auditedCloud = auditPort(
    cloud,
    cloudActions,
    store,
    { ...context, step: 'ensurePodSecurityGroup', system: 'tencentcloud' },
    { targetOf: cloudTargetOf, secrets },
  );
  const auditedCluster = auditPort(
    cluster,
    clusterActions,
    store,
    { ...context, step: 'applyPolicy', system: 'kubernetes' },
    { targetOf: clusterTargetOf, secrets },
  );

  await store.transaction((tx) =>
    tx.appendAudit([decision(requestId, 'alice', 'request', 'accepted', `m-${requestId}-1`)]),
  );
  await store.appendAudit([
    decision(requestId, 'dave', 'approve', 'refused:not_an_approver', `m-${requestId}-2`),
  ]);
  await store.transaction((tx) =>
    tx.appendAudit([decision(requestId, 'bob', 'approve', 'accepted', `m-${requestId}-3`)]),
  );
  await auditedCloud.describeSecurityGroups({ name: 'sgops-shop-cart' });
  await auditedCloud.createSecurityGroup({
    name: 'sgops-shop-cart',
    description: `sgops ${requestId}`,
  } as never);
  const rules = {
    securityGroupId: 'sg-cluster01',
    direction: 'ingress',
    rules: [{ protocol: 'UDP', port: '53', peer: { securityGroupId: 'sg-pod0001' }, action: 'ACCEPT' }],
  } as never;
  await auditedCloud.createSecurityGroupPolicies(rules).catch(() => undefined);
  await auditedCloud.createSecurityGroupPolicies(rules);
  await auditedCluster.createSecurityGroupPolicy({
    namespace: 'shop',
    name: 'sgops-cart',
    groupIds: ['sg-pod0001'],
  } as never);
  await auditedCluster.restartWorkload(
    'shop',
    { kind: 'Deployment', name: 'cart' } as never,
    '2025-01-01' as never,
  );
}
