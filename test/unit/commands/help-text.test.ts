import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/commands/help-text.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';

describe('helpText', () => {
  it('lists every command in English', () => {
    const text = helpText('en');
    for (const usage of [
      'grant pod SG to app <app>',
      'status request <request-id>',
      'approve <request-id>',
      'deny <request-id> <reason>',
      'help',
    ]) {
      expect(text).toContain(usage);
    }
  });

  it('lists every command in Chinese', () => {
    const text = helpText('zh');
    for (const usage of [
      '授权 Pod 安全组 给 应用 <应用>',
      '状态 [请求] <请求编号>',
      '批准 <请求编号>',
      '拒绝 <请求编号> <原因>',
      '帮助',
    ]) {
      expect(text).toContain(usage);
    }
  });

  it('narrows to one command named in either language', () => {
    expect(helpText('en', 'deny')).toContain('deny <request-id> <reason>');
    expect(helpText('en', 'deny')).not.toContain('grant pod SG');
    expect(helpText('zh', '批准')).toContain('批准 <请求编号> [备注]');
    expect(helpText('zh', 'approve')).toContain('批准 <请求编号> [备注]');
  });

  it('gives the whole reference for an unknown topic', () => {
    expect(helpText('en', 'nonsense')).toBe(helpText('en'));
  });

  it('shows examples that the parser accepts', () => {
    for (const locale of ['en', 'zh'] as const) {
      for (const topic of ['grant', 'status', 'approve', 'deny', 'help']) {
        const examples = helpText(locale, topic)
          .split('\n')
          .filter((l) => /^\s+(e\.g\.|例) /.test(l))
          .map((l) => l.replace(/^\s+(e\.g\.|例) /, ''));
        expect(examples.length).toBeGreaterThan(0);
        for (const example of examples) expect(parseCommand(example)).toMatchObject({ ok: true, locale });
      }
    }
  });
});
