import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWeComXml } from '../../../../adapters/wecom/parse-wecom-xml.ts';
import { readWeComMessage } from '../../../../adapters/wecom/read-wecom-message.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/wecom/${name}`, import.meta.url), 'utf8').trim();

function read(name: string) {
  const parsed = parseWeComXml(fixture(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  return readWeComMessage(parsed.fields, '1000002');
}

describe('WeCom callback messages as WeCom sends them', () => {
  it('reads a text message', () => {
    expect(read('text-message.xml')).toEqual({
      kind: 'text',
      dedupeKey: 'msg.7362150993728001234',
      messageId: '7362150993728001234',
      userId: 'zhangsan',
      text: 'grant pod SG to app my-app in shop',
    });
  });

  it('reads a card click with its task id and response code', () => {
    expect(read('card-click.xml')).toMatchObject({
      kind: 'cardClick',
      userId: 'lisi',
      decision: 'deny',
      requestId: 'R7K2',
      taskId: 'sgops-R7K2-5f1c2a9b3d-lx3k9a1b2c3',
      responseCode: 'rc-fixture-1',
      dedupeKey: 'card.lisi.1750000060.deny.R7K2',
    });
  });

  it('ignores events sgops has no use for', () => {
    expect(read('enter-agent-event.xml')).toEqual({ kind: 'ignored', reason: 'MsgType event/enter_agent' });
  });
});
