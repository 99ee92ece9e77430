/**
 * The store's contract: the system of record for requests, workflow snapshots, approvals,
 * the outbox, the chat inbox and the audit log. One implementation serves both drivers
 * (pg and PGlite) through drizzle's pg-core schema.
 */
export interface RequestRow {
  id: string;
  workflow: string;
  requester: string;
  clusterId: string;
  namespace: string;
  /** The validated command's payload (what to grant). */
  spec: Record<string, unknown>;
  /** Where the request was raised, so replies find their thread. */
  origin: { platform: string; conversationId: string; threadId?: string };
  state: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SnapshotRow {
  requestId: string;
  machine: string;
  machineVersion: number;
  /** xstate's getPersistedSnapshot() JSON. */
  snapshot: unknown;
  /** Increments on every save; a save with a stale value fails (belt and braces with the row lock). */
  revision: number;
}

export interface ApprovalRow {
  requestId: string;
  personId: string;
  decision: 'approve' | 'deny';
  comment: string | null;
  platform: string;
  messageId: string;
  at: Date;
}

export interface OutboxRow {
  id: number;
  requestId: string;
  /** Deterministic, unique per effect: also the BullMQ job id it becomes. */
  key: string;
  effect: Record<string, unknown>;
  createdAt: Date;
  dispatchedAt: Date | null;
}

export interface ChatInboxRow {
  platform: string;
  messageId: string;
  personId: string;
  conversationId: string;
  threadId: string | null;
  text: string;
  receivedAt: Date;
  /** When sgops was done with the line (answered, or given up); null while its job may still run. */
  handledAt: Date | null;
}

/** A chat line as recorded on arrival. */
export type NewChatInboxRow = Omit<ChatInboxRow, 'threadId' | 'receivedAt' | 'handledAt'> & {
  threadId?: string;
};

export interface AuditEntry {
  requestId: string | null;
  actor: string;
  /** intent: before a call; outcome: after it; decision: a person's chat decision. */
  kind: 'intent' | 'outcome' | 'decision';
  system: 'tencentcloud' | 'kubernetes' | 'chat' | 'engine';
  action: string;
  target: string;
  /** ok | error code, for outcomes and decisions. */
  outcome: string | null;
  durationMs: number | null;
  cloudRequestId: string | null;
  /** Facts about the call; callers redact secrets before they get here. */
  details: Record<string, unknown>;
  /** Links an outcome to its intent. */
  callId: string | null;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  at: Date;
  prevHash: string;
  hash: string;
}

export interface StoreTx {
  insertRequest(row: Omit<RequestRow, 'createdAt' | 'updatedAt'>): Promise<void>;
  /** SELECT … FOR UPDATE: serialises every event of one request. Null when unknown. */
  lockRequest(id: string): Promise<{ request: RequestRow; snapshot: SnapshotRow | null } | null>;
  /**
   * Lists requests as the transaction sees them: after `lockRequest`, what the lock's previous
   * holder committed too (each statement reads anew), so a check made under a lock holds.
   */
  listRequests(filter: RequestFilter): Promise<RequestRow[]>;
  /** Inserts or replaces the snapshot and copies `state` onto the request row. */
  saveSnapshot(
    snapshot: Omit<SnapshotRow, 'revision'> & { expectedRevision: number | null },
    state: string,
  ): Promise<number>;
  insertApproval(row: Omit<ApprovalRow, 'at'>): Promise<boolean>;
  /** Idempotent on `key`: a key seen before is skipped. Returns the rows that were inserted. */
  insertOutbox(
    rows: { requestId: string; key: string; effect: Record<string, unknown> }[],
  ): Promise<OutboxRow[]>;
  appendAudit(entries: AuditEntry[]): Promise<AuditRow[]>;
}

/** Which requests to list, newest first; every field narrows the list. */
export interface RequestFilter {
  states?: string[];
  requester?: string;
  workflow?: string;
  clusterId?: string;
  namespace?: string;
  /** Only rows after this one in the list's order (newest first): the next page of a longer read. */
  before?: { createdAt: Date; id: string };
  limit?: number;
}

export interface Store {
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  getRequest(id: string): Promise<RequestRow | null>;
  /** The request and its snapshot in one read (what the engine loads before a step). */
  readRequest(id: string): Promise<{ request: RequestRow; snapshot: SnapshotRow | null } | null>;
  listRequests(filter?: RequestFilter): Promise<RequestRow[]>;
  listApprovals(requestId: string): Promise<ApprovalRow[]>;
  /**
   * Records chat messages once per (platform, messageId), in one statement; each result is false
   * when that message was seen before (or earlier in the same batch).
   */
  recordChatMessages(rows: NewChatInboxRow[]): Promise<boolean[]>;
  /** Lines not handled yet that arrived before `receivedBefore`, oldest first. */
  listUnhandledChatMessages(filter: { receivedBefore: Date; limit: number }): Promise<ChatInboxRow[]>;
  /**
   * Records that sgops is done with these lines; each result is false when that line was marked
   * before (or is unknown), so of several replicas marking one line only one hears true.
   */
  markChatMessagesHandled(keys: { platform: string; messageId: string }[]): Promise<boolean[]>;
  listUndispatchedOutbox(limit: number): Promise<OutboxRow[]>;
  markOutboxDispatched(ids: number[]): Promise<void>;
  /** Appends audit rows to the hash chain (serialised through a chain-head row lock). */
  appendAudit(entries: AuditEntry[]): Promise<AuditRow[]>;
  listAudit(filter?: { requestId?: string; afterSeq?: number; limit?: number }): Promise<AuditRow[]>;
  /** Intents a request's step recorded that have no outcome yet, oldest first. */
  listOpenIntents(requestId: string, step: string): Promise<AuditRow[]>;
  close(): Promise<void>;
}
