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

describe('the full grant grammar', () => {
  it('reads every clause, in any order, into one command', () => {
    const expected = {
      kind: 'grant',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
      clusterId: 'cls-a1b2c3d4',
      groups: { kind: 'existing', ids: ['sg-a1b2c3d4', 'sg-e5f6a7b8'] },
      allow: [
        { protocol: 'TCP', ports: '3306', direction: 'to', peer: { securityGroupId: 'sg-db123456' } },
        { protocol: 'UDP', ports: '53', direction: 'from', peer: { cidr: '10.0.0.0/8' } },
      ],
      durationMs: 8 * 3600_000,
      reason: 'release 42, see CHG-7',
    };
    expect(
      command(
        'grant pod SG to app web in shop on cls-a1b2c3d4 using sg-a1b2c3d4,sg-e5f6a7b8 allow tcp:3306 to sg-db123456 allow udp:53 from 10.0.0.0/8 for 8h because release 42, see CHG-7',
      ),
    ).toEqual(expected);
    expect(
      command(
        'grant pod SG to app web for 8 hours allow tcp:3306 to sg-db123456 on cls-a1b2c3d4 using sg-a1b2c3d4, sg-e5f6a7b8 allow UDP 53 from 10.0.0.0/8 in shop because release 42, see CHG-7',
      ),
    ).toEqual(expected);
  });

  it('reads a service account target and a named group', () => {
    expect(command('grant pod SG to serviceaccount batch in jobs as group batch-pods')).toEqual({
      kind: 'grant',
      target: { kind: 'serviceAccount', serviceAccount: 'batch' },
      namespace: 'jobs',
      groups: { kind: 'named', name: 'batch-pods' },
    });
    expect(command('grant pod SG to service account batch')).toEqual({
      kind: 'grant',
      target: { kind: 'serviceAccount', serviceAccount: 'batch' },
    });
  });

  it('reads ports as single, list and range, and protocols without ports as ALL', () => {
    const rule = (line: string) =>
      (command(`grant pod SG to app web allow ${line}`) as { allow: unknown[] }).allow[0];
    expect(rule('tcp:80,443 to 0.0.0.0/0')).toEqual({
      protocol: 'TCP',
      ports: '80,443',
      direction: 'to',
      peer: { cidr: '0.0.0.0/0' },
    });
    expect(rule('tcp:8000-8010 from sg-a1b2c3d4')).toMatchObject({ ports: '8000-8010', direction: 'from' });
    expect(rule('TCP to 10.0.0.0/8')).toMatchObject({ protocol: 'TCP', ports: 'ALL' });
    expect(rule('icmp from 10.0.0.0/8')).toMatchObject({ protocol: 'ICMP', ports: 'ALL' });
    expect(rule('all to 10.0.0.0/8')).toMatchObject({ protocol: 'ALL', ports: 'ALL' });
  });

  it('reads durations from one second to ninety days', () => {
    const ms = (d: string) =>
      (command(`grant pod SG to app web for ${d}`) as { durationMs: number }).durationMs;
    expect(ms('90s')).toBe(90_000);
    expect(ms('30m')).toBe(1_800_000);
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('2d')).toBe(172_800_000);
    expect(ms('90d')).toBe(90 * 86_400_000);
    expect(ms('1s')).toBe(1000);
  });

  it('reads plan as a dry-run grant', () => {
    expect(command('plan pod SG to app web in shop allow tcp:443 to 10.0.0.0/8')).toEqual({
      kind: 'plan',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
      allow: [{ protocol: 'TCP', ports: '443', direction: 'to', peer: { cidr: '10.0.0.0/8' } }],
    });
  });

  it('reads revoke with where and why', () => {
    expect(command('revoke pod SG from app web in shop on cls-a1b2c3d4 because app retired')).toEqual({
      kind: 'revoke',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
      clusterId: 'cls-a1b2c3d4',
      reason: 'app retired',
    });
  });

  it('keeps shell and YAML text in a reason as plain text', () => {
    expect(command('grant pod SG to app web because $(rm -rf /) "a: b - c"')).toMatchObject({
      reason: '$(rm -rf /) "a: b - c"',
    });
  });
});

describe('status, requests and request commands', () => {
  it('reads the status forms', () => {
    expect(command('status')).toEqual({ kind: 'requests', filter: 'mine' });
    expect(command('status app web in shop')).toEqual({ kind: 'statusApp', app: 'web', namespace: 'shop' });
    expect(command('status app My_App')).toEqual({ kind: 'statusApp', app: 'My_App' });
    expect(command('status policies')).toEqual({ kind: 'statusPolicies' });
    expect(command('status policies in shop')).toEqual({ kind: 'statusPolicies', namespace: 'shop' });
  });

  it('reads the request lists', () => {
    expect(command('requests')).toEqual({ kind: 'requests', filter: 'mine' });
    expect(command('requests mine')).toEqual({ kind: 'requests', filter: 'mine' });
    expect(command('requests pending')).toEqual({ kind: 'requests', filter: 'pending' });
    expect(command('requests all')).toEqual({ kind: 'requests', filter: 'all' });
  });

  it('reads cancel, retry, rollback and audit', () => {
    expect(command('cancel R7K2P')).toEqual({ kind: 'cancel', requestId: 'R7K2P' });
    expect(command('retry request r7k2p')).toEqual({ kind: 'retry', requestId: 'R7K2P' });
    expect(command('rollback #R7K2P')).toEqual({ kind: 'rollback', requestId: 'R7K2P' });
    expect(command('audit R7K2P.')).toEqual({ kind: 'audit', requestId: 'R7K2P' });
  });

  it('reads repair of a grant by its id, in both languages', () => {
    expect(command('repair R7K2P')).toEqual({ kind: 'repair', requestId: 'R7K2P' });
    expect(command('修复 r7k2p')).toEqual({ kind: 'repair', requestId: 'R7K2P' });
    expect(parseCommand('修复 R7K2P').locale).toBe('zh');
  });
});

describe('the full grammar in Chinese', () => {
  it('reads a grant with every clause', () => {
    expect(
      parseCommand(
        '授权 Pod 安全组 给 应用 web 在 shop 于 cls-a1b2c3d4 使用 sg-a1b2c3d4 允许 tcp:3306 到 sg-db123456 允许 udp:53 来自 10.0.0.0/8 期限 8小时 原因 发布 42',
      ),
    ).toEqual({
      ok: true,
      locale: 'zh',
      command: {
        kind: 'grant',
        target: { kind: 'app', app: 'web' },
        namespace: 'shop',
        clusterId: 'cls-a1b2c3d4',
        groups: { kind: 'existing', ids: ['sg-a1b2c3d4'] },
        allow: [
          { protocol: 'TCP', ports: '3306', direction: 'to', peer: { securityGroupId: 'sg-db123456' } },
          { protocol: 'UDP', ports: '53', direction: 'from', peer: { cidr: '10.0.0.0/8' } },
        ],
        durationMs: 8 * 3600_000,
        reason: '发布 42',
      },
    });
  });

  it('reads a service account, a named group, Chinese duration units and 因为', () => {
    expect(command('授权Pod安全组给服务账号batch在jobs作为组batch-pods时长1小时30分钟因为夜间任务')).toEqual({
      kind: 'grant',
      target: { kind: 'serviceAccount', serviceAccount: 'batch' },
      namespace: 'jobs',
      groups: { kind: 'named', name: 'batch-pods' },
      durationMs: 5_400_000,
      reason: '夜间任务',
    });
    expect(command('授权 Pod 安全组 给 应用 web 原因：上线')).toMatchObject({ reason: '上线' });
  });

  it('reads plan, revoke, status, request lists and request commands', () => {
    expect(command('计划 Pod 安全组 给 应用 web')).toEqual({
      kind: 'plan',
      target: { kind: 'app', app: 'web' },
    });
    expect(command('撤销 Pod 安全组 从 应用 web 在 shop')).toEqual({
      kind: 'revoke',
      target: { kind: 'app', app: 'web' },
      namespace: 'shop',
    });
    expect(command('状态 应用 web 在 shop')).toEqual({ kind: 'statusApp', app: 'web', namespace: 'shop' });
    expect(command('状态 策略')).toEqual({ kind: 'statusPolicies' });
    expect(command('请求列表')).toEqual({ kind: 'requests', filter: 'mine' });
    expect(command('请求列表 待审批')).toEqual({ kind: 'requests', filter: 'pending' });
    expect(command('请求列表 全部')).toEqual({ kind: 'requests', filter: 'all' });
    expect(command('取消 R7K2P')).toEqual({ kind: 'cancel', requestId: 'R7K2P' });
    expect(command('重试 R7K2P')).toEqual({ kind: 'retry', requestId: 'R7K2P' });
    expect(command('回滚 R7K2P')).toEqual({ kind: 'rollback', requestId: 'R7K2P' });
    expect(command('审计 R7K2P')).toEqual({ kind: 'audit', requestId: 'R7K2P' });
    expect(parseCommand('回滚 R7K2P').locale).toBe('zh');
  });
});
