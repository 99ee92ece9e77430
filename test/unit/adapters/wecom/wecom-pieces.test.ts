import { describe, expect, it } from 'vitest';
import { parseWeComXml } from '../../../../adapters/wecom/parse-wecom-xml.ts';
import { createRecentKeys } from '../../../../adapters/wecom/recent-keys.ts';
import { splitUtf8 } from '../../../../adapters/wecom/split-utf8.ts';
import { newWeComTaskId } from '../../../../adapters/wecom/wecom-task-id.ts';
import { createInMemoryWeComCardStore } from '../../../../adapters/wecom/wecom-card-store.ts';

describe('parseWeComXml', () => {
  it('keeps 64-bit message ids and CDATA content as exact strings', () => {
    const parsed = parseWeComXml(
      '<xml><MsgId>7362150993728001234</MsgId><Content><![CDATA[a <b> & 中文]]></Content></xml>',
    );
    expect(parsed).toEqual({ ok: true, fields: { MsgId: '7362150993728001234', Content: 'a <b> & 中文' } });
  });

  it.each(['', 'not xml', '<xml><a></xml>', '<root><a>1</a></root>', '<!DOCTYPE x><xml/>'])(
    'refuses %j',
    (xml) => {
      expect(parseWeComXml(xml).ok).toBe(false);
    },
  );
});

describe('splitUtf8', () => {
  it('leaves short text alone and never cuts a character', () => {
    expect(splitUtf8('short', 10)).toEqual(['short']);
    const pieces = splitUtf8('中文字符串很长', 7);
    expect(pieces.join('')).toBe('中文字符串很长');
    expect(pieces.every((p) => Buffer.byteLength(p) <= 7)).toBe(true);
  });
});

describe('createRecentKeys', () => {
  it('forgets keys after their time to live and beyond its size', () => {
    let now = 0;
    const keys = createRecentKeys({ ttlMs: 1000, maxKeys: 2, now: () => new Date(now) });
    expect([keys.add('a'), keys.add('a')]).toEqual([true, false]);
    now = 1500;
    expect(keys.add('a')).toBe(true);
    keys.add('b');
    keys.add('c');
    expect(keys.size).toBe(2);
    expect(keys.add('a')).toBe(true);
  });
});

describe('newWeComTaskId', () => {
  it('makes distinct valid task ids even for odd user ids', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const ids = new Set(Array.from({ length: 50 }, () => newWeComTaskId('R7K2', 'zhang.san:外部', at)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
  });
});

describe('in-memory card store', () => {
  it('drops cards whose response codes can no longer be used', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const store = createInMemoryWeComCardStore({ now: () => now });
    await store.save({
      taskId: 't1',
      requestId: 'R7K2',
      userId: 'u',
      locale: 'en',
      responseCode: 'rc',
      sentAt: now,
    });
    now = new Date(now.getTime() + 73 * 3600 * 1000);
    await store.save({ taskId: 't2', requestId: 'R7K2', userId: 'u', locale: 'en', sentAt: now });
    expect((await store.openCards('R7K2', 'u')).map((c) => c.taskId)).toEqual(['t2']);
  });
});
