import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.ts';
import type { Command } from '../../../src/commands/command.ts';

function command(line: string): Command {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(line)} to parse: ${result.message}`);
  return result.command;
}

describe('parseCommand in English', () => {
  it('reads a grant for an app', () => {
    expect(parseCommand('grant pod SG to app my-app')).toEqual({
      ok: true,
      locale: 'en',
      command: { kind: 'grant', target: { kind: 'app', app: 'my-app' } },
    });
  });

  it('reads a grant with namespace and cluster in either order', () => {
    const expected = {
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
      clusterId: 'cls-a1b2c3d4',
    };
    expect(command('grant pod SG to app web in shop on cls-a1b2c3d4')).toEqual(expected);
    expect(command('grant pod SG to app web on cls-a1b2c3d4 in shop')).toEqual(expected);
    expect(command('grant pod SG to app web in namespace shop on cluster cls-a1b2c3d4')).toEqual(expected);
    expect(command('grant pod SG to app web in cluster cls-a1b2c3d4 namespace shop')).toEqual(expected);
  });

  it('tolerates keyword case and extra spacing but keeps names as written', () => {
    expect(command('Grant Pod sg to APP my-app')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'my-app' },
    });
    expect(command('  GRANT   pod\tSG  to   app   My_App.v2  ')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'My_App.v2' },
    });
    expect(command('grant pod security group to app web')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
    });
  });

  it('reads full-width characters and quoted names', () => {
    expect(command('ｇｒａｎｔ　ｐｏｄ ＳＧ to app `web`')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
    });
    expect(command('grant pod SG to app "web"')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
    });
  });

  it('unwraps the links Slack makes of dotted names', () => {
    expect(command('grant pod SG to app <http://my.app|my.app>')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'my.app' },
    });
  });

  it('ignores a leading bot mention or slash command', () => {
    for (const prefix of [
      '<@U123>',
      '<@U123|sgops>',
      '@sgops',
      '/sgops',
      '@sgops:',
      '<@U123> /sgops',
      '@sgops\u2005',
    ]) {
      expect(command(`${prefix} status request R7K2P`)).toEqual({ kind: 'status', requestId: 'R7K2P' });
    }
  });

  it('reads status with and without the word request, and normalises the id', () => {
    expect(command('status request R7K2P')).toEqual({ kind: 'status', requestId: 'R7K2P' });
    expect(command('status r7k2p')).toEqual({ kind: 'status', requestId: 'R7K2P' });
    expect(command('STATUS #R7K2')).toEqual({ kind: 'status', requestId: 'R7K2' });
  });

  it('reads approve with and without a comment, keeping the comment verbatim', () => {
    expect(command('approve R7K2P')).toEqual({ kind: 'approve', requestId: 'R7K2P' });
    expect(command('approve r7k2p Looks  good, ship it')).toEqual({
      kind: 'approve',
      requestId: 'R7K2P',
      comment: 'Looks  good, ship it',
    });
    expect(command('approve R7K2P, lgtm')).toEqual({ kind: 'approve', requestId: 'R7K2P', comment: 'lgtm' });
  });

  it('reads deny with its reason', () => {
    expect(command('deny R7K2P too broad: use the shop namespace')).toEqual({
      kind: 'deny',
      requestId: 'R7K2P',
      reason: 'too broad: use the shop namespace',
    });
    expect(command('reject R7K2P no')).toEqual({ kind: 'deny', requestId: 'R7K2P', reason: 'no' });
  });

  it('reads help with and without a topic', () => {
    expect(command('help')).toEqual({ kind: 'help' });
    expect(command('help grant')).toEqual({ kind: 'help', topic: 'grant' });
    expect(command('Help DENY')).toEqual({ kind: 'help', topic: 'deny' });
  });

  it('treats a bare mention as a request for help', () => {
    expect(parseCommand('<@U123>')).toEqual({ ok: true, locale: 'en', command: { kind: 'help' } });
    expect(parseCommand('')).toEqual({ ok: true, locale: 'en', command: { kind: 'help' } });
  });
});

describe('parseCommand in Chinese', () => {
  it('reads a grant with the Chinese keywords', () => {
    expect(parseCommand('授权 Pod 安全组 给 应用 web 在 shop 于 cls-a1b2c3d4')).toEqual({
      ok: true,
      locale: 'zh',
      command: {
        kind: 'grant',
        target: { kind: 'app', app: 'web' },
        namespace: 'shop',
        clusterId: 'cls-a1b2c3d4',
      },
    });
  });

  it('accepts 在 命名空间 and 集群 as clause words', () => {
    expect(command('授权 Pod 安全组 给 应用 web 在 命名空间 shop 集群 cls-sandbox1')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
      clusterId: 'cls-sandbox1',
    });
    expect(command('授权 pod 安全组 给 应用 web 在 集群 cls-sandbox1')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
      clusterId: 'cls-sandbox1',
    });
  });

  it('reads Chinese typed without spaces', () => {
    expect(command('授权Pod安全组给应用web在命名空间shop于cls-sandbox1')).toEqual({
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
      clusterId: 'cls-sandbox1',
    });
    expect(command('批准R7K2P没问题')).toEqual({ kind: 'approve', requestId: 'R7K2P', comment: '没问题' });
  });

  it('reads status, approve, deny and help', () => {
    expect(parseCommand('状态 请求 R7K2P')).toEqual({
      ok: true,
      locale: 'zh',
      command: { kind: 'status', requestId: 'R7K2P' },
    });
    expect(command('状态 r7k2p')).toEqual({ kind: 'status', requestId: 'R7K2P' });
    expect(command('批准 R7K2P')).toEqual({ kind: 'approve', requestId: 'R7K2P' });
    expect(command('批准 R7K2P 同意，按计划执行')).toEqual({
      kind: 'approve',
      requestId: 'R7K2P',
      comment: '同意，按计划执行',
    });
    expect(command('拒绝 R7K2P 权限过大')).toEqual({ kind: 'deny', requestId: 'R7K2P', reason: '权限过大' });
    expect(command('帮助')).toEqual({ kind: 'help' });
    expect(command('帮助 授权')).toEqual({ kind: 'help', topic: 'grant' });
  });

  it('answers in the language the command was written in', () => {
    expect(parseCommand('@sgops 帮助').locale).toBe('zh');
    expect(parseCommand('approve R7K2P 同意').locale).toBe('en');
    expect(parseCommand('批准 R7K2P ok').locale).toBe('zh');
  });
});
