/**
 * The members of the platform groups (Slack user groups, WeCom departments, …) that policy groups
 * name, as a snapshot
 * the policy reads synchronously. Each source is read again in the background once its TTL has
 * passed (and sooner after a failure). A failed read keeps the last members it knew and logs a
 * warning: an outage never widens access, and never silently empties a group that was read once.
 * A source never read successfully holds nobody, so its group is its listed members only.
 */
import type { Logger } from 'pino';
import { AppError, toAppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { DirectoryReaders } from '../ports/directory.ts';
import type { ChatIdentity } from '../ports/chat-identity.ts';
import { groupSpecOf } from './policy-config.ts';
import type { GroupConfig } from './policy-config.ts';

export const defaultDirectoryTtlMs = 5 * 60_000;

export interface GroupDirectoryOptions {
  groups: Readonly<Record<string, GroupConfig>>;
  readers: DirectoryReaders;
  /** The registered platforms' identities: how a warning names a group field and its platform. */
  identities: readonly ChatIdentity[];
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** How long a successful read is trusted; 5 minutes by default. */
  ttlMs?: number;
  /** How soon a failed read is tried again; the TTL or 30 s, whichever is shorter, by default. */
  retryMs?: number;
  /** A read that takes longer counts as failed (the Bolt client has no timeout of its own); 10 s. */
  lookupTimeoutMs?: number;
}

export interface GroupDirectory {
  /**
   * The platform ids last read from the group a field names (`slackUserGroup`, `S0123`); null
   * while it was never read. Never waits.
   */
  members(field: string, value: string | number): ReadonlySet<string> | null;
  /** Reads every source whose TTL (or retry delay) has passed; one refresh runs at a time. */
  refreshDue(): Promise<void>;
  /** Resolves when no refresh is running. */
  idle(): Promise<void>;
  /** Reads every source once (failures are logged, not thrown), then keeps them fresh. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Entry {
  /** `slackUserGroup:S0123` or `wecomDepartment:42` (directorySourceKey). */
  source: string;
  read: () => Promise<string[]>;
  members: ReadonlySet<string> | null;
  /** When (clock ms) the entry is next read. */
  dueAt: number;
}

/** How audit rows and logs name a directory source: `slackUserGroup:S0123`, `wecomDepartment:42`. */
export function directorySourceKey(field: string, value: string | number): string {
  return `${field}:${value}`;
}

export function createGroupDirectory(options: GroupDirectoryOptions): GroupDirectory {
  const { readers, clock, logger } = options;
  const ttlMs = options.ttlMs ?? defaultDirectoryTtlMs;
  const retryMs = options.retryMs ?? Math.min(ttlMs, 30_000);
  const lookupTimeoutMs = options.lookupTimeoutMs ?? 10_000;
  const entries = new Map<string, Entry>();

  const add = (source: string, read: () => Promise<string[]>) => {
    if (!entries.has(source)) entries.set(source, { source, read, members: null, dueAt: 0 });
  };
  for (const [group, config] of Object.entries(options.groups)) {
    for (const { field, value } of groupSpecOf(config).directory) {
      const source = directorySourceKey(field, value);
      const read = readers[field];
      if (read) {
        add(source, () => read(value));
        continue;
      }
      const declared = options.identities.find((i) => i.directoryGroup?.field === field)?.directoryGroup;
      const names = declared
        ? `${declared.described} but ${declared.platformTitle}`
        : `${field} but its platform`;
      logger.warn(
        { group, source },
        `a policy group names ${names} is not configured: only its listed members count`,
      );
    }
  }

  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function readOne(entry: Entry): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      const ids = await Promise.race([
        entry.read(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new AppError('TIMEOUT', `Reading ${entry.source} took over ${lookupTimeoutMs} ms`)),
            lookupTimeoutMs,
          );
        }),
      ]);
      const members = new Set(ids);
      const before = entry.members;
      entry.members = members;
      entry.dueAt = clock.now().getTime() + ttlMs;
      if (before === null || before.size !== members.size || [...members].some((id) => !before.has(id))) {
        logger.info(
          {
            source: entry.source,
            added: [...members].filter((id) => !before?.has(id)),
            removed: [...(before ?? [])].filter((id) => !members.has(id)),
          },
          'directory group members read',
        );
      }
    } catch (error) {
      entry.dueAt = clock.now().getTime() + retryMs;
      const err = toAppError(error);
      logger.warn(
        { source: entry.source, err, kept: entry.members === null ? null : [...entry.members] },
        entry.members === null
          ? 'directory lookup failed: the group counts only its listed members until a read succeeds'
          : 'directory lookup failed: keeping the last members read',
      );
    } finally {
      clearTimeout(timeout);
    }
  }

  function refreshDue(): Promise<void> {
    if (running) return running;
    const now = clock.now().getTime();
    const due = [...entries.values()].filter((e) => e.dueAt <= now);
    if (due.length === 0) return Promise.resolve();
    running = Promise.all(due.map(readOne)).then(
      () => {
        running = null;
      },
      () => {
        running = null;
      },
    );
    return running;
  }

  /** Reads return what is known now; a stale source is read again without making the caller wait. */
  function lookup(source: string): ReadonlySet<string> | null {
    const entry = entries.get(source);
    if (!entry) return null;
    if (!stopped && !running && entry.dueAt <= clock.now().getTime()) void refreshDue();
    return entry.members;
  }

  function schedule(): void {
    if (stopped || entries.size === 0) return;
    const next = Math.min(...[...entries.values()].map((e) => e.dueAt));
    const delay = Math.max(25, next - clock.now().getTime());
    timer = setTimeout(() => {
      timer = null;
      void refreshDue().then(schedule);
    }, delay);
    timer.unref();
  }

  return {
    members: (field, value) => lookup(directorySourceKey(field, value)),
    refreshDue,
    idle: async () => {
      while (running) await running;
    },
    async start() {
      stopped = false;
      await refreshDue();
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      while (running) await running;
    },
  };
}
