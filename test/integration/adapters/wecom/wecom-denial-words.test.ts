import { sreApprovedPolicy } from '../../../helpers/chat-people.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../../../helpers/chat-world.ts';
import type { FakeWeComCall } from '../../../../adapters/wecom/fake-api/index.ts';
import type { ChatFakes } from '../../../../src/sandbox/start-chat-fakes.ts';
import { postWeComText } from '../../../helpers/signed-chat-posts.ts';
import type { TestWorld } from '../../../helpers/test-world.ts';
import { until } from '../../../helpers/until.ts';

/** Words one person types reach the others in WeCom as text, never as a live link. */
describe('a denial reason typed in WeCom', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('wecom_denial_words', {
      policy: sreApprovedPolicy([
        { id: 'alice', name: 'Alice', wecom: 'alice' },
        { id: 'bob', name: 'Bob', wecom: 'bob' },
        { id: 'carol', name: 'Carol', wecom: 'carol', locale: 'zh' as const },
      ]),
    }));
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  /** The texts sgops sent, as the fake WeCom API recorded them, read over its HTTP admin route. */
  async function textsSent(): Promise<{ touser: string; content: string }[]> {
    const res = await fetch(`${fakes.wecom.fakeApiUrl}/calls`);
    const calls = (await res.json()) as FakeWeComCall[];
    return calls
      .filter((c) => c.path === '/cgi-bin/message/send' && c.errcode === 0)
      .map((c) => c.body as { touser: string; msgtype: string; text?: { content: string } })
      .filter((b) => b.msgtype === 'text' && b.text !== undefined)
      .map((b) => ({ touser: b.touser, content: b.text!.content }));
  }

  it('arrives for the requester and every approver with its tag escaped', async () => {
    const typed = (user: string, content: string, msgId: string) =>
      postWeComText(url, fakes.wecom, { user, content, msgId }).then((res) => expect(res.status).toBe(200));

    await typed('alice', 'grant pod SG to app my-app in my-namespace', '7362150993728000001');
    const requestId = await until('alice’s request', async () => {
      const [request] = await world.app.store.listRequests({ requester: 'alice' });
      return request?.id;
    });
    await until('the request to await approval', async () =>
      (await world.app.engine.read(requestId))?.state === 'awaitingApproval' ? true : undefined,
    );

    await typed(
      'bob',
      `deny ${requestId} read <a href="https://evil.example/y">this</a>`,
      '7362150993728000002',
    );
    await until('the request to be denied', async () =>
      (await world.app.engine.read(requestId))?.state === 'denied' ? true : undefined,
    );

    const escaped = 'read &lt;a href="https://evil.example/y"&gt;this&lt;/a&gt;';
    const denials = await until(
      'the denial to reach alice, bob and carol',
      async () => {
        const found = (await textsSent()).filter((t) => t.content.includes(escaped));
        const to = new Set(found.map((t) => t.touser));
        return ['alice', 'bob', 'carol'].every((u) => to.has(u)) ? found : undefined;
      },
      20_000,
    );
    expect(denials.find((t) => t.touser === 'alice')?.content).toBe(
      `${requestId} was denied by bob: ${escaped}`,
    );
    expect(denials.find((t) => t.touser === 'carol')?.content).toBe(`${requestId} 已被 bob 拒绝：${escaped}`);
    // Nothing sgops sent as text holds a raw tag: not the reason, nor its own `deny <id> <reason>` hint.
    const texts = await textsSent();
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.filter((t) => /[<>]/.test(t.content))).toEqual([]);
  });
});
