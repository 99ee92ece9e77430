import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createPolicy } from '../../../src/policy/create-policy.ts';
import { createGroupDirectory } from '../../../src/policy/group-directory.ts';
import type { GroupDirectoryOptions } from '../../../src/policy/group-directory.ts';
import type { PolicyConfigInput } from '../../../src/policy/policy-config.ts';
import { parsePolicyConfig } from '../../../src/policy/policy-config.ts';
import { chatIdentities } from '../../../src/app/chat-platforms.ts';

const config: PolicyConfigInput = {
  people: [
    { id: 'alice', name: 'Alice', slack: 'U0ALICE', wecom: 'alice' },
    { id: 'bob', name: 'Bob', slack: 'U0BOB', wecom: 'bob' },
    { id: 'carol', name: 'Carol', slack: 'U0CAROL', wecom: 'Carol.C' },
    { id: 'dave', name: 'Dave', slack: 'U0DAVE' },
  ],
  groups: {
    sre: { members: ['bob'], slackUserGroup: 'S0SRE', wecomDepartment: 42 },
    devs: { wecomDepartment: 7 },
  },
  rules: [
    {
      clusters: ['*'],
      namespaces: ['payments'],
      requesters: ['group:devs'],
      approvers: ['group:sre'],
    },
  ],
};
const subject = { requester: 'alice', clusterId: 'cls-prod0001', namespace: 'payments' };

/** What the directories hold, changed by the tests; `down` makes every read fail. */
function fakeDirectories() {
  const state = {
    slack: new Map<string, string[]>([['S0SRE', ['U0DAVE', 'U0STRANGER']]]),
    wecom: new Map<number, string[]>([
      [42, ['carol.c']],
      [7, ['alice']],
    ]),
    down: false,
    reads: 0,
  };
  const read = async <K>(map: Map<K, string[]>, key: K) => {
    state.reads += 1;
    await Promise.resolve();
    if (state.down) throw new Error('directory unreachable');
    const members = map.get(key);
    if (!members) throw new Error(`no such group ${String(key)}`);
    return [...members];
  };
  return {
    state,
    readers: {
      slackUserGroup: (id: string) => read(state.slack, id),
      wecomDepartment: (id: number) => read(state.wecom, id),
    },
  };
}

function world(options: Partial<GroupDirectoryOptions> = {}) {
  let now = Date.parse('2026-03-01T08:00:00Z');
  const logs: { level: number; msg: string; source?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const directories = fakeDirectories();
  const directory = createGroupDirectory({
    identities: chatIdentities,
    groups: parsePolicyConfig(config, chatIdentities).groups,
    readers: directories.readers,
    clock: { now: () => new Date(now) },
    logger,
    ttlMs: 60_000,
    ...options,
  });
  const policy = createPolicy(config, { identities: chatIdentities, directory });
  return {
    ...directories,
    directory,
    policy,
    logs,
    warnings: () => logs.filter((l) => l.level === 40),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('groups fed by a Slack user group and a WeCom department', () => {
  it('hold the listed people plus the mapped people the directories list, and say where each came from', async () => {
    const w = world();
    await w.directory.refreshDue();
    expect(w.policy.approversFor('cls-prod0001', 'payments')).toEqual(['bob', 'dave', 'carol']);
    expect(w.policy.approverVia('bob', 'cls-prod0001', 'payments')).toEqual(['group:sre']);
    expect(w.policy.approverVia('dave', 'cls-prod0001', 'payments')).toEqual([
      'group:sre/slackUserGroup:S0SRE',
    ]);
    // WeCom userids match whatever their case.
    expect(w.policy.approverVia('carol', 'cls-prod0001', 'payments')).toEqual([
      'group:sre/wecomDepartment:42',
    ]);
    expect(w.policy.canApprove('carol', subject)).toEqual({ allowed: true });
    expect(w.policy.approverVia('alice', 'cls-prod0001', 'payments')).toEqual([]);
    // Requester groups read directories too.
    expect(w.policy.canRequest('alice', 'cls-prod0001', 'payments')).toEqual({ allowed: true });
    expect(w.policy.canRequest('bob', 'cls-prod0001', 'payments')).toEqual({
      allowed: false,
      reason: 'not_a_requester',
    });
  });

  it('never lets a directory member who is not in the policy file act', async () => {
    const w = world();
    await w.directory.refreshDue();
    expect(w.policy.personByPlatformId('slack', 'U0STRANGER')).toBeNull();
    expect(w.policy.approversFor('cls-prod0001', 'payments')).not.toContain('U0STRANGER');
    expect(w.policy.canApprove('U0STRANGER', subject)).toEqual({ allowed: false, reason: 'unknown_person' });
  });

  it('notes every source when a person is in a group more than one way', async () => {
    const w = world();
    w.state.slack.set('S0SRE', ['U0BOB', 'U0CAROL']);
    await w.directory.refreshDue();
    expect(w.policy.approverVia('bob', 'cls-prod0001', 'payments')).toEqual([
      'group:sre',
      'group:sre/slackUserGroup:S0SRE',
    ]);
    expect(w.policy.approverVia('carol', 'cls-prod0001', 'payments')).toEqual([
      'group:sre/slackUserGroup:S0SRE',
      'group:sre/wecomDepartment:42',
    ]);
  });

  it('reads each source once per TTL, answering from the cache in between', async () => {
    const w = world();
    await w.directory.refreshDue();
    expect(w.state.reads).toBe(3);
    w.advance(59_000);
    w.state.wecom.set(42, []);
    expect(w.policy.canApprove('carol', subject)).toEqual({ allowed: true });
    await w.directory.idle();
    expect(w.state.reads).toBe(3);
  });

  it('reads again in the background once the TTL has passed: the first decision still sees the old members, the next ones the new', async () => {
    const w = world();
    await w.directory.refreshDue();
    w.state.wecom.set(42, []);
    w.advance(60_000);
    expect(w.policy.canApprove('carol', subject)).toEqual({ allowed: true });
    // Many decisions while the read runs start no second read.
    w.policy.canApprove('carol', subject);
    w.policy.canApprove('bob', subject);
    await w.directory.idle();
    expect(w.state.reads).toBe(6);
    expect(w.policy.canApprove('carol', subject)).toEqual({ allowed: false, reason: 'not_an_approver' });
    expect(w.policy.approversFor('cls-prod0001', 'payments')).toEqual(['bob', 'dave']);
  });

  it('keeps the last members read while the directory is down, warns, and tries again sooner than the TTL', async () => {
    const w = world({ retryMs: 5_000 });
    await w.directory.refreshDue();
    w.state.down = true;
    w.advance(60_000);
    await w.directory.refreshDue();
    expect(w.policy.canApprove('carol', subject)).toEqual({ allowed: true });
    expect(w.policy.approversFor('cls-prod0001', 'payments')).toEqual(['bob', 'dave', 'carol']);
    expect(w.warnings().map((l) => l.msg)).toContain(
      'directory lookup failed: keeping the last members read',
    );
    // An outage never widens: someone added meanwhile is not let in until a read succeeds.
    w.state.wecom.set(42, ['carol.c', 'alice']);
    w.advance(4_000);
    await w.directory.refreshDue();
    expect(w.state.reads).toBe(6);
    w.state.down = false;
    w.advance(1_000);
    await w.directory.refreshDue();
    expect(w.state.reads).toBe(9);
    expect(w.policy.approverVia('alice', 'cls-prod0001', 'payments')).toEqual([
      'group:sre/wecomDepartment:42',
    ]);
  });

  it('counts only the listed members while a directory was never read, e.g. down at start-up', async () => {
    const w = world();
    w.state.down = true;
    await w.directory.start();
    try {
      expect(w.policy.approversFor('cls-prod0001', 'payments')).toEqual(['bob']);
      expect(w.policy.canApprove('carol', subject)).toEqual({ allowed: false, reason: 'not_an_approver' });
      expect(w.policy.canRequest('alice', 'cls-prod0001', 'payments').allowed).toBe(false);
      expect(w.warnings().map((l) => l.msg)).toContain(
        'directory lookup failed: the group counts only its listed members until a read succeeds',
      );
    } finally {
      await w.directory.stop();
    }
  });

  it('counts a read that never answers as failed', async () => {
    const logs: { level: number; source?: string }[] = [];
    const hanging = createGroupDirectory({
      identities: chatIdentities,
      groups: { sre: { members: ['bob'], wecomDepartment: 42 } },
      readers: { wecomDepartment: () => new Promise<string[]>(() => {}) },
      clock: { now: () => new Date() },
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) }),
      lookupTimeoutMs: 50,
    });
    const started = Date.now();
    await hanging.refreshDue();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hanging.members('wecomDepartment', 42)).toBeNull();
    expect(logs.some((l) => l.level === 40 && l.source === 'wecomDepartment:42')).toBe(true);
    await hanging.stop();
  });

  it('warns, and counts none from that source, when a group names a platform that is not configured', async () => {
    const logs: { level: number; msg: string }[] = [];
    const directory = createGroupDirectory({
      identities: chatIdentities,
      groups: parsePolicyConfig(config, chatIdentities).groups,
      readers: { wecomDepartment: async () => ['carol.c'] },
      clock: { now: () => new Date() },
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) }),
    });
    expect(logs.map((l) => l.msg)).toEqual([
      'a policy group names a Slack user group but Slack is not configured: only its listed members count',
    ]);
    await directory.refreshDue();
    const policy = createPolicy(config, { identities: chatIdentities, directory });
    expect(policy.approversFor('cls-prod0001', 'payments')).toEqual(['bob', 'carol']);
  });

  it('keeps refreshing on its own once started, and stops when asked', async () => {
    let reads = 0;
    const directory = createGroupDirectory({
      identities: chatIdentities,
      groups: { sre: { wecomDepartment: 42 } },
      readers: {
        wecomDepartment: async () => {
          reads += 1;
          return reads > 1 ? [] : ['carol'];
        },
      },
      clock: { now: () => new Date() },
      logger: pino({ level: 'silent' }),
      ttlMs: 50,
    });
    await directory.start();
    expect(directory.members('wecomDepartment', 42)).toEqual(new Set(['carol']));
    const deadline = Date.now() + 10_000;
    while (reads < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(directory.members('wecomDepartment', 42)).toEqual(new Set());
    await directory.stop();
    const stoppedAt = reads;
    await new Promise((r) => setTimeout(r, 200));
    expect(reads).toBe(stoppedAt);
  });
});

describe('the policy file: groups with directory sources', () => {
  const issuesOf = (raw: unknown): string[] => {
    try {
      parsePolicyConfig(raw, chatIdentities);
    } catch (error) {
      return (error as { details: { issues: string[] } }).details.issues;
    }
    throw new Error('expected the policy to be refused');
  };

  it('accepts both forms side by side and leaves the TTL unset unless given', () => {
    const parsed = parsePolicyConfig(config, chatIdentities);
    expect(parsed.groups['sre']).toEqual({ members: ['bob'], slackUserGroup: 'S0SRE', wecomDepartment: 42 });
    expect(parsed.directoryTtlMs).toBeUndefined();
    expect(parsePolicyConfig({ ...config, directoryTtlMs: 30_000 }, chatIdentities).directoryTtlMs).toBe(
      30_000,
    );
  });

  it('names unknown members, malformed sources and unknown keys by their path', () => {
    const issues = issuesOf({
      people: [{ id: 'bob', name: 'Bob' }],
      groups: {
        sre: { members: ['bob', 'zoe'], slackUserGroup: 'sre-team', wecomDepartment: -1 },
        ops: { member: ['bob'] },
      },
    });
    expect(issues.some((i) => i.startsWith('groups.sre.members.1') && i.includes('zoe'))).toBe(true);
    expect(issues.some((i) => i.startsWith('groups.sre.slackUserGroup'))).toBe(true);
    expect(issues.some((i) => i.startsWith('groups.sre.wecomDepartment'))).toBe(true);
    expect(issues.some((i) => i.startsWith('groups.ops'))).toBe(true);
  });

  it('counts everyone a directory group could hold when checking a quorum', () => {
    const rule = { clusters: ['*'], namespaces: ['*'], approvers: ['group:sre'], quorum: 3 };
    // bob is listed; carol and dave have WeCom ids, so department 42 could hold them.
    expect(() =>
      parsePolicyConfig(
        {
          people: [
            { id: 'bob', name: 'Bob' },
            { id: 'carol', name: 'Carol', wecom: 'carol' },
            { id: 'dave', name: 'Dave', wecom: 'dave' },
          ],
          groups: { sre: { members: ['bob'], wecomDepartment: 42 } },
          rules: [rule],
        },
        chatIdentities,
      ),
    ).not.toThrow();
    // Without WeCom ids nobody could ever join through the department.
    expect(
      issuesOf({
        people: [
          { id: 'bob', name: 'Bob' },
          { id: 'carol', name: 'Carol', slack: 'U0CAROL' },
        ],
        groups: { sre: { members: ['bob'], wecomDepartment: 42 } },
        rules: [rule],
      }).some((i) => i.startsWith('rules.0.quorum')),
    ).toBe(true);
  });
});
