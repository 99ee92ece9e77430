/**
 * One open repair per grant: asked again while a repair of the grant is still open, sgops names
 * that repair and what to do about it, in the asker's language, and opens nothing — also when the
 * lines race each other (the store's reads are slowed so that every line checks before any opens).
 */
import { deleteGrantDnsRules } from '../helpers/seed-step-8.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantApproved } from '../helpers/chat-requests.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

describe('a second repair of one grant', () => {
  let world: TestWorld;
  let grantId = '';
  /** While set, the store's lists of repairs answer this much later. */
  let slowRepairListsMs = 0;

  beforeAll(async () => {
    world = await startTestWorld(
      'repair-one-open',
      {},
      {
        observeStore: (store) => ({
          ...store,
          async listRequests(filter) {
            const rows = await store.listRequests(filter);
            if (filter?.workflow === 'repair' && slowRepairListsMs > 0)
              await new Promise((r) => setTimeout(r, slowRepairListsMs));
            return rows;
          },
        }),
      },
    );
    grantId = (await grantApproved(world, 'grant pod SG to app my-app in my-namespace')).requestId;
    await deleteGrantDnsRules(world, grantId);
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  const repairsOfGrant = async () =>
    (await world.app.store.listRequests({ workflow: 'repair' })).filter(
      (r) => (r.spec as { grantRequestId?: string }).grantRequestId === grantId,
    );

  it('answers with the open repair and what to do, in each asker’s language, and opens nothing', async () => {
    const first = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, first, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
    const again = await world.say('alice', `repair ${grantId}`);
    expect(again.kind).toBe('error');
    expect(again.requestId).toBe(first);
    expect(again.text).toBe(
      `${grantId} already has an open repair, ${first} (awaitingApproval); nothing new was opened. ` +
        `Approve it (\`approve ${first}\`) or cancel it (\`cancel ${first}\`) first.`,
    );
    expect((await world.say('carol', `修复 ${grantId}`)).text).toBe(
      `${grantId} 已有一个未结束的修复请求 ${first}（等待审批），未新建请求。请先批准（\`批准 ${first}\`）或取消（\`取消 ${first}\`）该请求。`,
    );
    expect((await repairsOfGrant()).map((r) => r.id)).toEqual([first]);

    // Once it is called off, a new repair may be asked.
    await world.say('alice', `cancel ${first}`);
    expect(await stateBecomes(world, first, ['cancelled'])).toBe('cancelled');
    const next = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(next).not.toBe(first);
    expect(await stateBecomes(world, next, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
    await world.say('alice', `cancel ${next}`);
    expect(await stateBecomes(world, next, ['cancelled'])).toBe('cancelled');
  }, 60_000);

  it('opens one repair of three racing lines, and the other two are told its id', async () => {
    slowRepairListsMs = 500;
    const answers = await Promise.all(
      ['alice', 'bob', 'carol'].map((person) => world.say(person, `repair ${grantId}`)),
    );
    slowRepairListsMs = 0;
    const open = (await repairsOfGrant()).filter((r) => !['cancelled'].includes(r.state));
    expect(open).toHaveLength(1);
    const repairId = open[0]!.id;
    expect(answers.map((a) => a.requestId)).toEqual([repairId, repairId, repairId]);
    expect(answers.filter((a) => a.kind === 'error')).toHaveLength(2);
    expect(answers.filter((a) => a.kind === 'error').every((a) => a.text.includes(repairId))).toBe(true);
  }, 60_000);
});
