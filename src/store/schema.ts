/**
 * The pg-core schema shared by both drivers. Tables are unqualified on purpose: a
 * connection's search_path picks the Postgres schema (tests use one schema per file).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const createdAt = (name: string) =>
  timestamp(name, { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const requests = pgTable(
  'requests',
  {
    id: text('id').primaryKey(),
    workflow: text('workflow').notNull(),
    requester: text('requester').notNull(),
    clusterId: text('cluster_id').notNull(),
    namespace: text('namespace').notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    origin: jsonb('origin')
      .$type<{ platform: string; conversationId: string; threadId?: string }>()
      .notNull(),
    state: text('state').notNull(),
    createdAt: createdAt('created_at'),
    updatedAt: createdAt('updated_at'),
  },
  (t) => [index('requests_state_idx').on(t.state), index('requests_requester_idx').on(t.requester)],
);

export const workflowSnapshots = pgTable('workflow_snapshots', {
  requestId: text('request_id')
    .primaryKey()
    .references(() => requests.id, { onDelete: 'cascade' }),
  machine: text('machine').notNull(),
  machineVersion: integer('machine_version').notNull(),
  snapshot: jsonb('snapshot').$type<unknown>().notNull(),
  revision: integer('revision').notNull(),
  updatedAt: createdAt('updated_at'),
});

export const approvals = pgTable(
  'approvals',
  {
    requestId: text('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    decision: text('decision').$type<'approve' | 'deny'>().notNull(),
    comment: text('comment'),
    platform: text('platform').notNull(),
    messageId: text('message_id').notNull(),
    at: createdAt('at'),
  },
  (t) => [
    primaryKey({ name: 'approvals_pkey', columns: [t.requestId, t.personId] }),
    check('approvals_decision_check', sql`${t.decision} in ('approve', 'deny')`),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    key: text('key').notNull().unique('outbox_key_unique'),
    effect: jsonb('effect').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt('created_at'),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true, mode: 'date' }),
  },
  // The dispatcher only ever scans undispatched rows.
  (t) => [
    index('outbox_undispatched_idx')
      .on(t.id)
      .where(sql`${t.dispatchedAt} is null`),
  ],
);

export const chatInbox = pgTable(
  'chat_inbox',
  {
    platform: text('platform').notNull(),
    messageId: text('message_id').notNull(),
    personId: text('person_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    threadId: text('thread_id'),
    text: text('text').notNull(),
    receivedAt: createdAt('received_at'),
    /** When sgops was done with the line (answered, or given up); null while its job may still run. */
    handledAt: timestamp('handled_at', { withTimezone: true, mode: 'date' }),
  },
  // The reconciler only ever scans unhandled lines, oldest first.
  (t) => [
    primaryKey({ name: 'chat_inbox_pkey', columns: [t.platform, t.messageId] }),
    index('chat_inbox_unhandled_idx')
      .on(t.receivedAt)
      .where(sql`${t.handledAt} is null`),
  ],
);

/**
 * The hash-chained audit trail. `seq` is assigned from audit_head under its row lock rather
 * than from a sequence, so it is gapless: a missing number is a removed row. No foreign key to
 * requests, so the trail outlives anything else.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    requestId: text('request_id'),
    actor: text('actor').notNull(),
    kind: text('kind').$type<'intent' | 'outcome' | 'decision'>().notNull(),
    system: text('system').$type<'tencentcloud' | 'kubernetes' | 'chat' | 'engine'>().notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    outcome: text('outcome'),
    durationMs: integer('duration_ms'),
    cloudRequestId: text('cloud_request_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    callId: text('call_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_request_id_idx').on(t.requestId, t.seq)],
);

/** One row (id = 1): the chain's head, and the lock that serialises appends across processes. */
export const auditHead = pgTable(
  'audit_head',
  {
    id: integer('id').primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    lastHash: text('last_hash').notNull(),
  },
  (t) => [check('audit_head_single_row', sql`${t.id} = 1`)],
);

/**
 * What the Slack transport posted (a request's thread per conversation, its progress message, its
 * approval card, DM channels), so replicas share it and a restart keeps updating the same thread.
 * Rows expire (the adapter refreshes `expires_at` on every write) and go when their request does.
 */
export const slackThreads = pgTable(
  'slack_threads',
  {
    key: text('key').primaryKey(),
    value: text('value').notNull(),
    requestId: text('request_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('slack_threads_expires_at_idx').on(t.expiresAt),
    index('slack_threads_request_id_idx').on(t.requestId),
  ],
);

/** The WeCom approval cards sent; a card's response code lives 72 h, and so does its row. */
export const wecomCards = pgTable(
  'wecom_cards',
  {
    taskId: text('task_id').primaryKey(),
    requestId: text('request_id').notNull(),
    userId: text('user_id').notNull(),
    locale: text('locale').notNull(),
    responseCode: text('response_code'),
    clickMessageId: text('click_message_id'),
    closed: boolean('closed').notNull().default(false),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('wecom_cards_request_user_idx').on(t.requestId, t.userId),
    index('wecom_cards_sent_at_idx').on(t.sentAt),
  ],
);

/**
 * The console's conversation, shared by replicas. `seq` comes from console_head under its row
 * lock (like the audit chain), so numbers are handed out in commit order: a reader that has seen
 * seq n never later finds a new message below n. Only the newest rows are kept.
 */
export const consoleMessages = pgTable(
  'console_messages',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id').notNull(),
    message: jsonb('message').$type<Record<string, unknown>>().notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('console_messages_conversation_idx').on(t.conversationId, t.seq)],
);

/** One row (id = 1), created by the first append: the newest console seq, and the lock that orders appends. */
export const consoleHead = pgTable(
  'console_head',
  {
    id: integer('id').primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  },
  (t) => [check('console_head_single_row', sql`${t.id} = 1`)],
);
