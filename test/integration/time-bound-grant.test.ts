import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { grantApproved, revoked } from '../helpers/chat-requests.ts';
import { until } from '../helpers/until.ts';
import { worldReaders } from '../helpers/world-readers.ts';
import { expectSharedGroupKept } from '../helpers/expect-shared-group-kept.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import { timerJobId } from '../../src/engine/job-ids.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { RevokeContext } from '../../workflows/revoke/types.ts';

const ns = 'my-namespace';

/**
 * `grant … for 2s`: the grant rests active, warns alice before its end, and at its end sgops opens
 * the revoke itself, which takes the policy, the pods' group, the DNS rules and the group away —
 * except what another live grant still uses.
 */
describe('a time-bound grant', () => {
  let world: TestWorld;

  const { pods, groupsNamed, dnsFrom, policy, runApps } = worldReaders(() => world);
  const grantOf = async (id: string) => (await world.app.engine.read(id))!;
  const revokeEnds = (revokeId: string) =>
    world.waitFor(
      'alice',
      (m) => m.requestId === revokeId && (m.kind === 'result' || m.kind === 'error'),
      60_000,
    );

  beforeAll(async () => {
    world = await startTestWorld('time-bound', {
      workflow: {
        stepBackoffMs: 50,
        pollDelayMs: 100,
        approvalTimeoutMs: 600_000,
        shutdownGraceMs: 3000,
        // Capped at half of a 2 s grant: the warning comes 1 s in, the end 1 s later.
        expiryWarningMs: 1500,
        reconcileMs: 1000,
      },
    });
    await runApps(['shop-a', 'shop-b']);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('for 2s is revoked by sgops itself after warning alice, and takes everything it made away', async () => {
    const {
      requestId: id,
      plan,
      end,
    } = await grantApproved(world, `grant pod SG to app my-app in ${ns} for 2s`);
    expect(plan.text).toContain('grant pod SG to app my-app in my-namespace on cls-sandbox1 for 2s');
    expect(end.text).toContain(`${id} done`);
    expect(end.text).toMatch(/Expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 2s\)/);
    const podGroupId = ((await grantOf(id)).context as GrantContext).outputs.ensurePodSecurityGroup!
      .podGroupId;

    const warning = await world.waitFor(
      'alice',
      (m) => m.requestId === id && m.text.includes('ends in'),
      20_000,
    );
    expect(warning.text).toContain(`${id} (grant pod SG to app my-app`);
    const revokeId = `${id}X`;
    const expired = await world.waitFor(
      'bob',
      (m) => m.requestId === id && m.text.includes('has expired'),
      20_000,
    );
    expect(expired.text).toContain(`sgops opened ${revokeId} to revoke it`);
    expect(warning.seq).toBeLessThan(expired.seq);
    const carol = await world.waitFor(
      'carol',
      (m) => m.requestId === id && m.text.includes('已到期'),
      20_000,
    );
    expect(carol.text).toContain(revokeId);

    const finished = await revokeEnds(revokeId);
    expect(finished.state).toBe('done');
    expect(finished.text).toContain('Removed: policy sgops-my-app');

    const grant = await grantOf(id);
    expect(grant.state).toBe('revoked');
    expect((grant.context as GrantContext).revocation).toMatchObject({
      revokeRequestId: revokeId,
      cause: 'expired',
      by: 'sgops',
      at: (grant.context as GrantContext).expiresAt,
    });
    const revoke = (await world.app.engine.read(revokeId))!;
    expect(revoke.request.requester).toBe('alice');
    expect((revoke.context as RevokeContext).spec).toMatchObject({
      grantRequestId: id,
      reason: `time-bound grant ${id} expired`,
      policyName: 'sgops-my-app',
    });
    const decision = (await world.app.store.listAudit({ requestId: revokeId })).filter(
      (r) => r.kind === 'decision',
    );
    expect(decision).toEqual([
      expect.objectContaining({
        actor: 'sgops',
        system: 'engine',
        action: 'revoke',
        target: id,
        outcome: 'accepted',
        details: expect.objectContaining({ trigger: 'expiry', reason: `time-bound grant ${id} expired` }),
      }),
    ]);

    expect(await policy('sgops-my-app')).toBeNull();
    expect(await groupsNamed('sgops-my-namespace-my-app')).toEqual([]);
    expect(await dnsFrom(podGroupId)).toEqual([]);
    for (const pod of await pods('my-app'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();

    const status = await world.say('alice', `status request ${id}`);
    expect(status.text).toContain('is revoked');
    expect(status.text).toContain(`sgops revoked it with ${revokeId}`);

    // The open job run again (a retried or re-dispatched job) opens no second revoke.
    const again = await world.app.queues.events.add(
      'openRevoke',
      {
        type: 'openRevoke',
        requestId: id,
        revokeRequestId: revokeId,
        reason: `time-bound grant ${id} expired`,
        requestedAt: (grant.context as GrantContext).expiresAt,
      },
      { jobId: `${id}.openRevoke.again` },
    );
    await until('the repeated open job to finish', async () =>
      (await again.getState()) === 'completed' ? true : undefined,
    );
    const revokesOfGrant = (await world.app.store.listRequests({ limit: 1000 })).filter(
      (r) => r.workflow === 'revoke' && (r.spec as { grantRequestId?: string }).grantRequestId === id,
    );
    expect(revokesOfGrant.map((r) => r.id)).toEqual([revokeId]);
    expect(
      (await world.app.store.listAudit({ requestId: revokeId })).filter((r) => r.kind === 'decision'),
    ).toHaveLength(1);
    expect((await grantOf(id)).state).toBe('revoked');
  }, 180_000);

  it('revoked by hand before its end ends at once, and its timers are gone', async () => {
    const { requestId: id, end } = await grantApproved(world, `grant pod SG to app my-app in ${ns} for 1h`);
    expect(end.text).toMatch(/\(in 1h\)/);
    expect((await grantOf(id)).state).toBe('active');
    const status = await world.say('alice', `status request ${id}`);
    expect(status.text).toMatch(/is active\.\nExpires .* UTC \(in (1h|59m)\)/);
    // Redis loses the timers: the reconcile puts them back, due when they were, not a full hour on.
    // Lost 5 s into the hour, so that the full delay would be due 5 s late.
    const { expiresAt, expiryWarningMs, activeSince } = (await grantOf(id)).context as GrantContext;
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(activeSince!) + 5_000 - Date.now())));
    for (const name of ['grantExpiry', 'expiryWarning'])
      await world.app.queues.events.remove(timerJobId(id, name));
    const rebuilt = await until('the reconcile to put the timers back', async () => {
      const jobs = await Promise.all(
        ['grantExpiry', 'expiryWarning'].map((name) => world.app.queues.events.getJob(timerJobId(id, name))),
      );
      return jobs.every(Boolean) ? jobs.map((j) => j!.timestamp + j!.opts.delay!) : undefined;
    });
    const due = Date.parse(expiresAt!);
    expect(Math.abs(rebuilt[0]! - due)).toBeLessThan(2_500);
    expect(Math.abs(rebuilt[1]! - (due - expiryWarningMs!))).toBeLessThan(2_500);

    const manual = await revoked(world, `revoke pod SG from app my-app in ${ns}`);
    expect(manual.end.state).toBe('done');
    const grant = await grantOf(id);
    expect(grant.state).toBe('revoked');
    expect((grant.context as GrantContext).revocation).toMatchObject({
      revokeRequestId: manual.requestId,
      cause: 'revoked',
      by: 'alice',
    });
    await until('the timers to be cancelled', async () =>
      (await world.app.queues.events.getJob(timerJobId(id, 'grantExpiry'))) === undefined &&
      (await world.app.queues.events.getJob(timerJobId(id, 'expiryWarning'))) === undefined
        ? true
        : undefined,
    );
  }, 180_000);

  it('lapses, taking nothing away, while another grant of the app lasts; one revoked since covers nothing', async () => {
    const lasting = await grantApproved(world, `grant pod SG to app my-app in ${ns}`);
    expect(lasting.end.state).toBe('done');
    const brief = await grantApproved(world, `grant pod SG to app my-app in ${ns} for 2s`);
    const lapsed = await world.waitFor(
      'bob',
      (m) => m.requestId === brief.requestId && m.text.includes('nothing was taken away'),
      20_000,
    );
    expect(lapsed.text).toContain(`${lasting.requestId} still grants the same access`);
    expect((await grantOf(brief.requestId)).state).toBe('lapsed');
    expect(await world.app.store.getRequest(`${brief.requestId}X`)).toBeNull();
    const groupId = (await policy('sgops-my-app'))!.spec.securityGroups.groupIds[0];
    for (const pod of await pods('my-app'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(groupId);

    // Revoked by hand, the lasting grant stays `done` in the record, but gives the access no more.
    const manual = await revoked(world, `revoke pod SG from app my-app in ${ns}`);
    expect(manual.end.state).toBe('done');
    const again = await grantApproved(world, `grant pod SG to app my-app in ${ns} for 2s`);
    const finished = await revokeEnds(`${again.requestId}X`);
    expect(finished.state).toBe('done');
    expect((await grantOf(again.requestId)).state).toBe('revoked');
    expect(await policy('sgops-my-app')).toBeNull();
  }, 180_000);

  it('that shares a named group with a live grant leaves that grant, the group and its DNS rules', async () => {
    const lasting = await grantApproved(world, `grant pod SG to app shop-b in ${ns} as group shared`);
    expect(lasting.end.state).toBe('done');
    const [group] = await groupsNamed('shared');
    const groupId = group!.SecurityGroupId!;
    expect(await dnsFrom(groupId)).toEqual(['TCP', 'UDP']);

    const brief = await grantApproved(world, `grant pod SG to app shop-a in ${ns} as group shared for 2s`);
    expect(brief.end.text).toContain(`${brief.requestId} done`);
    const revokeId = `${brief.requestId}X`;
    const finished = await revokeEnds(revokeId);
    expect(finished.state).toBe('done');
    await expectSharedGroupKept(
      world,
      { revokeId, groupName: 'shared', groupId, revokedApp: 'shop-a', keptApp: 'shop-b' },
      ns,
    );
    expect((await grantOf(lasting.requestId)).state).toBe('done');
  }, 180_000);
});

/** Approvers hear of a waiting request again and again, but the wait still ends on time. */
describe('approval reminders', () => {
  let world: TestWorld;
  const reminderMs = 1000;
  const timeoutMs = 4500;

  beforeAll(async () => {
    world = await startTestWorld('reminders', {
      policy: { ...samplePolicy, rules: samplePolicy.rules.map((r) => ({ ...r, maxDuration: '1h' })) },
      workflow: {
        stepBackoffMs: 50,
        pollDelayMs: 100,
        approvalTimeoutMs: timeoutMs,
        approvalReminderMs: reminderMs,
        shutdownGraceMs: 3000,
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('refuses a grant longer than the policy allows, saying the maximum', async () => {
    const refused = await world.say('alice', `grant pod SG to app my-app in ${ns} for 2h`);
    expect(refused.kind).toBe('error');
    expect(refused.text).toBe('A grant for 2h is longer than the 1h this policy allows; ask for 1h or less.');
  });

  it('reminds the approvers at least twice, in their languages, and the request still expires on time', async () => {
    const opened = await world.say('alice', `grant pod SG to app my-app in ${ns}`);
    const id = opened.requestId!;
    // Where the rule sets maxDuration, a grant without `for` lasts that maximum.
    expect(opened.text).toContain('for 1h');
    const expired = await world.waitFor(
      'bob',
      (m) => m.requestId === id && m.text.includes('expired'),
      30_000,
    );
    const reminders = (await world.app.console.messagesFor('bob')).filter(
      (m) => m.requestId === id && m.text.startsWith('Reminder:'),
    );
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    for (const r of reminders) expect(r.seq).toBeLessThan(expired.seq);
    expect(reminders[0]!.text).toContain(`alice's request ${id}`);
    expect(reminders[0]!.text).toContain('has waited 1s for approval');
    expect(reminders[1]!.text).toContain('has waited 2s for approval');
    const carol = (await world.app.console.messagesFor('carol')).filter(
      (m) => m.requestId === id && m.text.startsWith('提醒'),
    );
    expect(carol.length).toBeGreaterThanOrEqual(2);
    // The requester is not reminded of her own request.
    expect((await world.app.console.messagesFor('alice')).some((m) => m.text.startsWith('Reminder:'))).toBe(
      false,
    );

    const view = (await world.app.engine.read(id))!;
    expect(view.state).toBe('expired');
    const context = view.context as GrantContext;
    expect(context.remindersSent).toBe(reminders.length);
    // Reminders never pushed the timeout back: had each re-armed it, the wait would have lasted
    // the whole timeout past the 4th reminder (8.5 s).
    const waited = view.request.updatedAt.getTime() - Date.parse(context.awaitingSince!);
    expect(waited).toBeGreaterThanOrEqual(timeoutMs);
    expect(waited).toBeLessThan(timeoutMs + 3500);
    // None comes after the wait ended.
    await new Promise((r) => setTimeout(r, 2 * reminderMs));
    const later = (await world.app.console.messagesFor('bob')).filter(
      (m) => m.requestId === id && m.text.startsWith('Reminder:'),
    );
    expect(later).toHaveLength(reminders.length);
  }, 120_000);
});
