/**
 * The conversation service as the app configures it: read-only cluster access audited under the
 * asking person, audit summaries with the chain's verdict, and the configured defaults.
 */
import { auditedPorts } from './audited-ports.ts';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../ports/clock.ts';
import { clusterActions } from '../ports/cluster.ts';
import type { Cluster } from '../ports/cluster.ts';
import type { ClusterDirectory } from '../clusters/cluster-directory.ts';
import type { Engine } from '../engine/engine.ts';
import { createChatService } from '../chat/chat-service.ts';
import type { WorkflowModule } from '../../workflows/index.ts';
import type { ChatService } from '../chat/chat-service.ts';
import { auditPort } from '../audit/audit-port.ts';
import type { AuditSink } from '../audit/audit-port.ts';
import type { AuditCheckpointer } from '../audit/create-audit-checkpoint.ts';
import { clusterTargetOf } from '../audit/cluster-target-of.ts';
import { summariseAudit } from '../audit/summarise-audit.ts';
import { verifyStoredAudit } from '../audit/verify-audit-trail.ts';
import type { WiredChat } from './wire-chat.ts';

export function wireChatService(
  config: Config,
  deps: {
    engine: Engine;
    store: Store;
    clusterPorts: ClusterDirectory;
    auditSink: AuditSink;
    checkpoint: AuditCheckpointer | null;
    /** The secrets to mask in the trail, read at each call (the list grows). */
    currentSecrets: () => readonly string[];
    /** The policy, and where direct replies go. */
    chat: Pick<WiredChat, 'policy' | 'replyTransports'>;
    clock: Clock;
    random: () => number;
    logger: Logger;
    /** The workflows whose lines open requests. */
    registry: readonly WorkflowModule[];
  },
): ChatService {
  const { engine, store, clusterPorts, auditSink, checkpoint } = deps;
  const secrets = deps.currentSecrets;
  const { policy } = deps.chat;
  return createChatService({
    workflows: deps.registry,
    engine,
    policy,
    store,
    clusterFor: async (personId, clusterId) =>
      auditPort<Cluster>(
        (await clusterPorts.portsFor(clusterId)).cluster,
        clusterActions,
        auditSink,
        { requestId: null, actor: personId, system: 'kubernetes', clusterId },
        { targetOf: clusterTargetOf, secrets },
      ),
    readPortsFor: async (personId, clusterId) => {
      const target = await clusterPorts.portsFor(clusterId);
      const ports = auditedPorts(target, {
        sink: auditSink,
        context: { requestId: null, actor: personId, clusterId },
        secrets,
      });
      return { ...ports, region: target.region };
    },
    auditSummary: async (requestId, locale) =>
      summariseAudit(await store.listAudit({ requestId }), locale, {
        requestId,
        chain: await verifyStoredAudit(store, config.audit.key, {
          checkpoint: checkpoint?.current() ?? null,
          requestId,
        }),
      }),
    transports: deps.chat.replyTransports,
    clock: deps.clock,
    random: deps.random,
    settings: {
      defaultClusterId: config.defaults.clusterId,
      clusterIds: Object.keys(config.clusters),
      defaultNamespace: config.defaults.namespace,
      clusterGroupName: (clusterId: string) =>
        config.tencentcloud.clusterGroupNameTemplate.replace('{clusterId}', clusterId),
      approvalTimeoutMs: config.workflow.approvalTimeoutMs,
      approvalReminderMs: config.workflow.approvalReminderMs,
      ...(config.workflow.expiryWarningMs === undefined
        ? {}
        : { expiryWarningMs: config.workflow.expiryWarningMs }),
    },
    logger: deps.logger,
  });
}
