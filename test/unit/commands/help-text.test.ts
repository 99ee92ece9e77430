import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/commands/help-text.ts';
import { verbs } from '../../../src/commands/keywords.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';

function examplesOf(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^\s+(e\.g\.|例) /.test(l))
    .map((l) => l.replace(/^\s+(e\.g\.|例) /, ''));
}

describe('helpText', () => {
  it('lists every command in English', () => {
    const text = helpText('en');
    for (const usage of [
      'grant pod SG to app <app> | serviceaccount <service-account>',
      'using <sg-id>[,<sg-id>…] | as group <name>',
      'allow <tcp|udp|icmp|all>[:<ports>] from|to <cidr|sg-id>',
      '[for <duration>] [because <reason>]',
      'plan pod SG to app <app>',
      'revoke pod SG from app <app>',
      'status [request <request-id> | <request-id> | app <app> [in <namespace>] | policies [in <namespace>]]',
      'requests [mine | pending | all]',
      'approve <request-id>',
      'deny <request-id> <reason>',
      'cancel <request-id>',
      'retry <request-id>',
      'rollback <request-id>',
      'audit <request-id>',
      'help [command]',
    ]) {
      expect(text).toContain(usage);
    }
  });

  it('lists every command in Chinese', () => {
    const text = helpText('zh');
    for (const usage of [
      '授权 Pod 安全组 给 应用 <应用> | 服务账号 <服务账号>',
      '使用 <安全组ID>[,<安全组ID>…] | 作为 组 <组名>',
      '允许 <tcp|udp|icmp|all>[:<端口>] 来自|到 <网段|安全组ID>',
      '[期限 <时长>] [原因 <原因>]',
      '计划 Pod 安全组',
      '撤销 Pod 安全组 从 应用 <应用>',
      '状态 [请求 <请求编号> | <请求编号> | 应用 <应用> [在 <命名空间>] | 策略 [在 <命名空间>]]',
      '请求列表 [我的 | 待审批 | 全部]',
      '批准 <请求编号>',
      '拒绝 <请求编号> <原因>',
      '取消 <请求编号>',
      '重试 <请求编号>',
      '回滚 <请求编号>',
      '审计 <请求编号>',
      '帮助 [命令]',
    ]) {
      expect(text).toContain(usage);
    }
  });

  it('has one line per command in both languages', () => {
    for (const locale of ['en', 'zh'] as const) {
      expect(
        helpText(locale)
          .split('\n')
          .filter((l) => l.startsWith('• ')),
      ).toHaveLength(verbs.length);
    }
  });

  it('narrows to one command named in either language', () => {
    expect(helpText('en', 'deny')).toContain('deny <request-id> <reason>');
    expect(helpText('en', 'deny')).not.toContain('grant pod SG');
    expect(helpText('zh', '批准')).toContain('批准 <请求编号> [备注]');
    expect(helpText('zh', 'approve')).toContain('批准 <请求编号> [备注]');
    expect(helpText('en', '回滚')).toContain('rollback <request-id>');
  });

  it('gives the whole reference for an unknown topic', () => {
    expect(helpText('en', 'nonsense')).toBe(helpText('en'));
  });

  it('shows, for every command, examples that the parser accepts in that language', () => {
    for (const locale of ['en', 'zh'] as const) {
      for (const topic of verbs) {
        const examples = examplesOf(helpText(locale, topic));
        expect(examples.length).toBeGreaterThan(0);
        for (const example of examples) {
          expect(parseCommand(example), example).toMatchObject({ ok: true, locale });
        }
      }
    }
  });

  it('gives the same examples in both languages', () => {
    for (const topic of verbs) {
      const en = examplesOf(helpText('en', topic)).map((e) => parseCommand(e));
      const zh = examplesOf(helpText('zh', topic)).map((e) => parseCommand(e));
      expect(zh.map((r) => r.ok && r.command.kind)).toEqual(en.map((r) => r.ok && r.command.kind));
    }
  });
});
