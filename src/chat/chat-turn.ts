/** One turn of the conversation: who said what, in which language, and how to answer them. */
import type { Logger } from 'pino';
import type { Locale } from '../commands/command.ts';
import type { Engine } from '../engine/engine.ts';
import type { Clock } from '../ports/clock.ts';
import type { CloudNetwork } from '../ports/cloud-network.ts';
import type { Cluster } from '../ports/cluster.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { AuditEntry, Store } from '../store/store.ts';
import type { ChatInbound, ChatOutbound } from './chat-message.ts';
import type { replyTexts } from './reply-texts.ts';

export interface ChatServiceSettings {
  defaultClusterId: string;
  /** Every cluster sgops serves; a line naming another is refused before anything is opened. */
  clusterIds: readonly string[];
  defaultNamespace: string;
  approvalTimeoutMs: number;
  /** Remind approvers this often while a request waits; 0: never. */
  approvalReminderMs: number;
  /** Warn this long before a time-bound grant ends; unset: derived from its duration. */
  expiryWarningMs?: number;
  /** The cluster security group's name (`tke-worker-security-for-<cluster>` unless configured). */
  clusterGroupName(clusterId: string): string;
}

/** What every handler may use; built once by the composition root. */
export interface ChatDeps {
  engine: Engine;
  policy: Policy;
  store: Store;
  clock: Clock;
  random: () => number;
  settings: ChatServiceSettings;
  logger: Logger;
  /** Read-only cluster access for status questions, audited under the asking person. */
  clusterFor: (personId: string, clusterId: string) => Promise<Cluster>;
  /** Cloud and cluster reads for `explain`, audited under the asking person (cloud calls retried). */
  readPortsFor: (
    personId: string,
    clusterId: string,
  ) => Promise<{ cloud: CloudNetwork; cluster: Cluster; region: string }>;
  /** The chat summary of a request's audit rows (with the chain's verdict). */
  auditSummary: (requestId: string, locale: Locale) => Promise<string>;
}

export interface ChatTurn {
  inbound: ChatInbound;
  personId: string;
  locale: Locale;
  t: (typeof replyTexts)[Locale];
  /** When the line was handled, as ISO text: events carry it, the machine never reads a clock. */
  at: string;
  reply(text: string, extra?: Partial<ChatOutbound>): Promise<void>;
  /** An audit row for a person's decision, with where it was said. */
  decision(
    requestId: string | null,
    action: string,
    outcome: string,
    details?: Record<string, unknown>,
  ): AuditEntry;
}
