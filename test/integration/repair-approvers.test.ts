/**
 * A repair's plan names its approvers as a grant's does: who may sign it off and how many
 * sign-offs it needs — in the plan and the approval card in chat (each in the reader's language),
 * on the console's request view and in `sgops say --json`.
 */
import { deleteGrantDnsRules } from '../helpers/seed-step-8.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import { grantApproved } from '../helpers/chat-requests.ts';
import { sayJson } from '../helpers/say-json.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

describe('the plan of a repair', () => {
  let world: TestWorld;
  let url = '';
  let grantId = '';
  let repairId = '';
  const seen: ConsoleMessage[] = [];

  beforeAll(async () => {
    world = await startTestWorld('repair-approvers', {
      http: { host: '127.0.0.1', port: 0 },
      console: { mode: 'sandbox' },
    });
    url = world.app.httpUrl!;
    world.app.console.subscribe((m) => seen.push(m));
    grantId = (await grantApproved(world, 'grant pod SG to app my-app in my-namespace')).requestId;
    await deleteGrantDnsRules(world, grantId);
    repairId = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, repairId, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  const told = (person: string, kind: string) =>
    world.waitFor(person, (m) => m.requestId === repairId && m.kind === kind);

  it('names who may sign it off and how many sign-offs it needs, in each reader’s language', async () => {
    const plan = await told('alice', 'plan');
    expect(plan.text).toContain(
      'Sign-offs needed:\n- approvers of my-namespace — Bob (bob) or Carol (carol): 0 of 1',
    );
    expect((await told('bob', 'approval')).text).toContain(
      'Sign-offs needed:\n- approvers of my-namespace — Bob (bob) or Carol (carol): 0 of 1',
    );
    expect((await told('carol', 'approval')).text).toContain(
      '需要的批准：\n- my-namespace 的审批人 — Bob（bob）或 Carol（carol）：0/1',
    );
  });

  it('shows the same on the console’s request view', async () => {
    const res = await fetch(`${url}/api/requests/${repairId}/view?as=alice`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as {
      signOffs: { who: string; quorum: number; signed: string[]; signers: string[] }[];
      people: Record<string, string>;
    };
    expect(view.signOffs).toEqual([
      expect.objectContaining({
        who: 'approvers of my-namespace',
        quorum: 1,
        signed: [],
        signers: ['bob', 'carol'],
      }),
    ]);
    expect(view.people).toMatchObject({ bob: 'Bob', carol: 'Carol' });
  });

  it('lists who may approve in sgops say --json', async () => {
    const said = await sayJson(url, `status request ${repairId}`);
    expect(said.code).toBe(0);
    const line = said.lines[0] as unknown as {
      text: string;
      approvers: { mayApprove: { id: string }[]; sets: { who: string; quorum: number }[] };
    };
    expect(line.text).toContain('Sign-offs needed:');
    expect(line.approvers.mayApprove.map((p) => p.id)).toEqual(['bob', 'carol']);
    expect(line.approvers.sets).toEqual([
      expect.objectContaining({ who: 'approvers of my-namespace', quorum: 1 }),
    ]);
  });
});
