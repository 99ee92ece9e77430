/**
 * The chat-platform seam: a platform defined only here, added to the registry the app is given,
 * carries a whole grant (asked on it, the approver asked on it, approved by a click on it) without
 * a line of sgops changed. Its identity field (`fakechat`) is declared by the platform alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestWorld, samplePolicy } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { chatPlatforms } from '../../src/app/chat-platforms.ts';
import type { ChatPlatform } from '../../src/ports/chat-platform.ts';
import type { ChatIntake } from '../../src/ports/chat-intake.ts';
import type { ChatOutbound } from '../../src/ports/chat-message.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { until } from '../helpers/until.ts';

/** A chat platform as small as one can be: lines come in by a call, replies are kept in a list. */
function fakeChat() {
  const sent: ChatOutbound[] = [];
  let intake: ChatIntake | null = null;
  let lines = 0;
  const platform: ChatPlatform = {
    name: 'fakechat',
    config: z.unknown(),
    identity: { personId: z.string().regex(/^fc-/, 'a fakechat id starts with fc-') },
    async open(deps) {
      intake = deps.intake;
      return { transport: { send: async (message) => void sent.push(message) } };
    },
  };
  /** What a person types (or a button they press) on the platform. */
  const say = async (user: string, text: string) => {
    lines += 1;
    await intake!.receive({
      platform: 'fakechat',
      messageId: `fc-line-${lines}`,
      platformUserId: user,
      conversationId: user,
      text,
    });
  };
  return { platform, sent, say };
}

describe('a chat platform added in one registry line', () => {
  let world: TestWorld;
  const fake = fakeChat();

  beforeAll(async () => {
    world = await startTestWorld(
      'extra-chat-platform',
      {
        policy: {
          ...samplePolicy,
          people: samplePolicy.people.map((p) => ({ ...p, fakechat: `fc-${p.id}` })),
        },
      },
      { chatPlatforms: [...chatPlatforms, fake.platform] },
    );
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('takes a grant from asking to done: asked there, approved there', async () => {
    await fake.say('fc-alice', 'grant pod SG to app my-app in my-namespace');
    const card = await until(
      'an approval card for bob on fakechat',
      async () => fake.sent.find((m) => m.conversationId === 'fc-bob' && m.kind === 'approval'),
      30_000,
    );
    expect(card.platform).toBe('fakechat');
    expect(card.actions?.map((a) => a.id)).toEqual(['approve', 'deny']);
    const requestId = card.requestId!;

    // Bob presses Approve: the platform hands the click over as the line it stands for.
    await fake.say('fc-bob', `approve ${requestId}`);
    expect(await stateBecomes(world, requestId, ['done', 'failed'])).toBe('done');
    const result = await until(
      'the result for alice on fakechat',
      async () => fake.sent.find((m) => m.conversationId === 'fc-alice' && m.kind === 'result'),
      30_000,
    );
    expect(result.state).toBe('done');
  });

  it('refuses, like any typo, an identity field no registered platform declares', async () => {
    const { createPolicy } = await import('../../src/policy/create-policy.ts');
    const { identitiesOf } = await import('../../src/ports/chat-platform.ts');
    const people = [{ id: 'alice', name: 'Alice', fakechat: 'fc-alice' }];
    expect(() => createPolicy({ people }, { identities: identitiesOf(chatPlatforms) })).toThrow(/fakechat/);
    expect(
      createPolicy({ people }, { identities: identitiesOf([fake.platform]) }).personByPlatformId(
        'fakechat',
        'fc-alice',
      )?.id,
    ).toBe('alice');
  });
});
