import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.ts';
import type { ParseFailure } from '../../../src/commands/command.ts';

function failure(line: string): ParseFailure {
  const result = parseCommand(line);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(line)} to fail, got ${JSON.stringify(result.command)}`);
  return result;
}

/** One sentence: a single terminal full stop, nothing after it. */
function expectOneSentence(message: string): void {
  expect(message).toMatch(/[.。]$/);
  expect(message.slice(0, -1)).not.toMatch(/[.。!?！？]\s/);
}

describe('unknown commands', () => {
  it('suggest the nearest command word with the rest of the line kept', () => {
    const f = failure('grnt pod SG to app x');
    expect(f).toMatchObject({ code: 'unknown_command', locale: 'en', suggestion: 'grant pod SG to app x' });
    expect(f.message).toContain('grnt');
    expectOneSentence(f.message);
  });

  it('correct transposed letters and carry the correction into the full suggestion', () => {
    expect(failure('dney R7K2P too broad')).toMatchObject({
      code: 'unknown_command',
      suggestion: 'deny R7K2P too broad',
    });
    expect(failure('aprove r7k2p')).toMatchObject({ suggestion: 'approve R7K2P' });
    expect(failure('stauts R7K2P')).toMatchObject({ suggestion: 'status request R7K2P' });
  });

  it('find a command word later in the line', () => {
    expect(failure('please grant pod sg to app x')).toMatchObject({
      code: 'unknown_command',
      suggestion: 'grant pod SG to app x',
    });
    expect(failure('请批准 R7K2P')).toMatchObject({
      code: 'unknown_command',
      locale: 'zh',
      suggestion: '批准 R7K2P',
    });
  });

  it('fall back to help when nothing is close', () => {
    expect(failure('hello there')).toMatchObject({
      code: 'unknown_command',
      locale: 'en',
      suggestion: 'help',
    });
    expect(failure('你好')).toMatchObject({ code: 'unknown_command', locale: 'zh', suggestion: '帮助' });
  });

  it('correct a mistyped Chinese command word', () => {
    expect(failure('授全 Pod 安全组 给 应用 web')).toMatchObject({
      code: 'unknown_command',
      locale: 'zh',
      suggestion: '授权 Pod 安全组 给 应用 web',
    });
  });

  it('correct a mistyped new command word too', () => {
    expect(failure('revok pod SG from app x')).toMatchObject({
      code: 'unknown_command',
      suggestion: 'revoke pod SG from app x',
    });
    expect(failure('rollbak R7K2P')).toMatchObject({ suggestion: 'rollback R7K2P' });
    expect(failure('requets pending')).toMatchObject({ suggestion: 'requests pending' });
  });
});

describe('malformed commands', () => {
  it('say what is missing and suggest the full form', () => {
    expect(failure('approve')).toMatchObject({ code: 'malformed', suggestion: 'approve <request-id>' });
    expect(failure('status request')).toMatchObject({
      code: 'malformed',
      suggestion: 'status request <request-id>',
    });
    expect(failure('cancel')).toMatchObject({ code: 'malformed', suggestion: 'cancel <request-id>' });
    expect(failure('deny R7K2P')).toMatchObject({ code: 'malformed', suggestion: 'deny R7K2P <reason>' });
    expect(failure('grant')).toMatchObject({ code: 'malformed', suggestion: 'grant pod SG to app <app>' });
    expect(failure('grant pod SG to app')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app <app>',
    });
    expect(failure('grant pod SG to app web in')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web in <namespace>',
    });
  });

  it('answer in Chinese for Chinese lines', () => {
    const f = failure('拒绝 R7K2P');
    expect(f).toMatchObject({ code: 'malformed', locale: 'zh', suggestion: '拒绝 R7K2P <原因>' });
    expect(f.message).toContain('原因');
    expectOneSentence(f.message);
    expect(failure('批准')).toMatchObject({ locale: 'zh', suggestion: '批准 <请求编号>' });
  });

  it('recover the app from a grant with a missing or mistyped keyword', () => {
    expect(failure('grant sg to app web')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web',
    });
    expect(failure('grant pod SG ot app web in shop')).toMatchObject({
      suggestion: 'grant pod SG to app web in shop',
    });
    expect(failure('grant pod SG to web')).toMatchObject({ suggestion: 'grant pod SG to app web' });
  });

  it('correct a mistyped clause word after a name', () => {
    const f = failure('grant pod SG to app web inn shop');
    expect(f).toMatchObject({ code: 'malformed', suggestion: 'grant pod SG to app web in shop' });
    expect(f.message).toContain('inn');
  });

  it('refuse a clause given twice', () => {
    expect(failure('grant pod SG to app web in a in b')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web in a',
    });
  });

  it('refuse clauses that do not belong to the command, dropping them from the suggestion', () => {
    const f = failure('revoke pod SG from app web in shop allow tcp:80 to 10.0.0.0/8');
    expect(f).toMatchObject({ code: 'malformed', suggestion: 'revoke pod SG from app web in shop' });
    expect(f.message).toContain('allow');
    expect(f.message).toContain('revoke');
    expectOneSentence(f.message);
    expect(failure('撤销 Pod 安全组 从 应用 web 期限 8h')).toMatchObject({
      locale: 'zh',
      suggestion: '撤销 Pod 安全组 从 应用 web',
    });
  });

  it('say which word is missing in a two-word clause', () => {
    const f = failure('grant pod SG to app web as pods');
    expect(f).toMatchObject({ code: 'malformed', suggestion: 'grant pod SG to app web' });
    expect(f.message).toContain('“group”');
  });

  it('say what an allow rule lacks', () => {
    expect(failure('grant pod SG to app web allow')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web allow <protocol>:<ports> to <cidr-or-sg-id>',
    });
    expect(failure('grant pod SG to app web allow tcp:443')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web allow tcp:443 to <cidr-or-sg-id>',
    });
    expect(failure('grant pod SG to app web allow tcp:443 to')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web allow tcp:443 to <cidr-or-sg-id>',
    });
  });

  it('refuse a reason left empty, and a duration, a group choice or a rule given twice', () => {
    expect(failure('grant pod SG to app web because')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web because <reason>',
    });
    expect(failure('grant pod SG to app web for 1h for 2h')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web for 1h',
    });
    expect(failure('grant pod SG to app web using sg-a1b2c3d4 as group g')).toMatchObject({
      code: 'malformed',
      suggestion: 'grant pod SG to app web using sg-a1b2c3d4',
    });
    expect(
      failure('grant pod SG to app web allow tcp:80 to 10.0.0.0/8 allow tcp:80 to 10.0.0.0/8'),
    ).toMatchObject({ code: 'malformed', suggestion: 'grant pod SG to app web allow tcp:80 to 10.0.0.0/8' });
  });

  it('refuse words after a command that takes only a request id', () => {
    for (const verb of ['cancel', 'retry', 'rollback', 'audit']) {
      expect(failure(`${verb} R7K2P now please`)).toMatchObject({
        code: 'malformed',
        suggestion: `${verb} R7K2P`,
      });
    }
    expect(failure('status app web on cls-a1b2c3d4')).toMatchObject({
      code: 'malformed',
      suggestion: 'status app web',
    });
    expect(failure('requests pending now')).toMatchObject({
      code: 'malformed',
      suggestion: 'requests pending',
    });
  });

  it('answer rather than throw when given something that is not a string', () => {
    for (const value of [undefined, null, 42, {}]) {
      expect(parseCommand(value as unknown as string)).toMatchObject({ ok: true, command: { kind: 'help' } });
    }
  });

  it('refuse over-long input without reading it', () => {
    const f = failure(`grant pod SG to app ${'a'.repeat(3000)}`);
    expect(f).toMatchObject({ code: 'malformed', suggestion: 'help' });
    expectOneSentence(f.message);
  });

  it('refuse unknown help topics, suggesting the nearest', () => {
    expect(failure('help aprove')).toMatchObject({ code: 'unknown_command', suggestion: 'help approve' });
    expect(failure('help foo')).toMatchObject({ code: 'unknown_command', suggestion: 'help' });
  });
});

describe('invalid names', () => {
  it('reject an app name with spaces and punctuation, naming the field and the rule', () => {
    const f = failure('grant pod SG to app My App!');
    expect(f.code).toBe('invalid_name');
    expect(f.message).toContain('app name');
    expect(f.message).toContain('My App!');
    expect(f.message).toContain('label value');
    expect(f.suggestion).toBe('grant pod SG to app <app>');
    expectOneSentence(f.message);
  });

  it('reject a namespace that is not a DNS label, suggesting the lower-case form without applying it', () => {
    const f = failure('grant pod SG to app web in My_NS');
    expect(f.code).toBe('invalid_name');
    expect(f.message).toContain('namespace');
    expect(f.message).toContain('DNS-1123');
    expect(f.suggestion).toBe('grant pod SG to app web in my-ns');
  });

  it('reject a malformed cluster id and keep the other clauses in the suggestion', () => {
    const f = failure('grant pod SG to app web on cls-XYZ in shop');
    expect(f.code).toBe('invalid_name');
    expect(f.message).toContain('cluster id');
    expect(f.message).toContain('cls-');
    expect(f.suggestion).toBe('grant pod SG to app web in shop on <cluster-id>');
    expect(failure('grant pod SG to app web on cls-ABCDEFGH').suggestion).toBe(
      'grant pod SG to app web on cls-abcdefgh',
    );
  });

  it('reject request ids with look-alike characters', () => {
    const f = failure('approve R0K2P');
    expect(f).toMatchObject({ code: 'invalid_name', suggestion: 'approve <request-id>' });
    expect(f.message).toContain('request id');
    expect(failure('deny nope because').suggestion).toBe('deny <request-id> because');
  });

  it('explain invalid names in Chinese for Chinese lines', () => {
    const f = failure('授权 Pod 安全组 给 应用 web 在 My_NS');
    expect(f).toMatchObject({
      code: 'invalid_name',
      locale: 'zh',
      suggestion: '授权 Pod 安全组 给 应用 web 在 my-ns',
    });
    expect(f.message).toContain('命名空间');
    expectOneSentence(f.message);
  });
});

describe('invalid values in the full grant grammar', () => {
  const cases: [string, string, string, string][] = [
    // line, words the message names, suggestion
    [
      'grant pod SG to serviceaccount Batch_Jobs',
      'service account',
      'DNS-1123',
      'grant pod SG to serviceaccount batch-jobs',
    ],
    [
      'grant pod SG to app web using sg-1234567',
      'security group id',
      'sg- followed by 8',
      'grant pod SG to app web using <sg-id,…>',
    ],
    [
      'grant pod SG to app web using sg-A1B2C3D4',
      'security group id',
      'lower-case',
      'grant pod SG to app web using sg-a1b2c3d4',
    ],
    [
      'grant pod SG to app web using sg-a1b2c3d4 sg-e5f6a7b8',
      'security group id',
      'sg-',
      'grant pod SG to app web using sg-a1b2c3d4,sg-e5f6a7b8',
    ],
    [
      'grant pod SG to app web as group my group',
      'group name',
      '60',
      'grant pod SG to app web as group <group-name>',
    ],
    [
      `grant pod SG to app web as group ${'g'.repeat(61)}`,
      'group name',
      '60',
      'grant pod SG to app web as group <group-name>',
    ],
    [
      'grant pod SG to app web allow sctp:22 to 10.0.0.0/8',
      'protocol',
      'tcp, udp, icmp or all',
      'grant pod SG to app web allow <protocol>:22 to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tpc:22 to 10.0.0.0/8',
      'protocol',
      'tcp, udp',
      'grant pod SG to app web allow tcp:22 to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tcp:65536 to 10.0.0.0/8',
      'port list',
      '65535',
      'grant pod SG to app web allow tcp:<ports> to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tcp:0 to 10.0.0.0/8',
      'port list',
      '1 to 65535',
      'grant pod SG to app web allow tcp:<ports> to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tcp:8010-8000 to 10.0.0.0/8',
      'port list',
      'range',
      'grant pod SG to app web allow tcp:8000-8010 to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tcp:80,80 to 10.0.0.0/8',
      'port list',
      'distinct',
      'grant pod SG to app web allow tcp:<ports> to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow icmp:8 from 10.0.0.0/8',
      'ICMP',
      'no ports',
      'grant pod SG to app web allow icmp from 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tcp:443 to 10.1.2.3/8',
      'peer',
      'without host bits',
      'grant pod SG to app web allow tcp:443 to 10.0.0.0/8',
    ],
    [
      'grant pod SG to app web allow tcp:443 to 10.1.2.3',
      'peer',
      'CIDR',
      'grant pod SG to app web allow tcp:443 to 10.1.2.3/32',
    ],
    [
      'grant pod SG to app web allow tcp:443 to 10.0.0.0/33',
      'peer',
      'IPv4',
      'grant pod SG to app web allow tcp:443 to <cidr-or-sg-id>',
    ],
    ['grant pod SG to app web for 91d', 'duration', '90 days', 'grant pod SG to app web for <duration>'],
    ['grant pod SG to app web for 0s', 'duration', '1 second', 'grant pod SG to app web for <duration>'],
    ['grant pod SG to app web for soon', 'duration', '8h', 'grant pod SG to app web for <duration>'],
    ['requests pendng', 'request list', 'mine, pending or all', 'requests pending'],
    ['status app -web', 'app name', 'label value', 'status app <app>'],
    ['status policies in My_NS', 'namespace', 'DNS-1123', 'status policies in my-ns'],
  ];

  it.each(cases)(
    '%s: one sentence naming the field and the rule, and the nearest valid line',
    (line, field, rule, suggestion) => {
      const f = failure(line);
      expect(f.code).toBe('invalid_name');
      expect(f.message).toContain(field);
      expect(f.message).toContain(rule);
      expectOneSentence(f.message);
      expect(f.suggestion).toBe(suggestion);
      if (!/<[^<>]+>/.test(suggestion)) expect(parseCommand(suggestion).ok).toBe(true);
    },
  );

  it('keeps every valid clause in the suggestion when one value is invalid', () => {
    expect(
      failure(
        'grant pod SG to app web in shop on cls-ABCDEFGH allow tcp:3306 to sg-db123456 for 8h because x',
      ).suggestion,
    ).toBe('grant pod SG to app web in shop on cls-abcdefgh allow tcp:3306 to sg-db123456 for 8h because x');
  });

  it('explains invalid values in Chinese for Chinese lines', () => {
    const f = failure('授权 Pod 安全组 给 应用 web 允许 tcp:3306 到 10.0.0.1/8 期限 8小时');
    expect(f).toMatchObject({
      code: 'invalid_name',
      locale: 'zh',
      suggestion: '授权 Pod 安全组 给 应用 web 允许 tcp:3306 到 10.0.0.0/8 期限 8小时',
    });
    expect(f.message).toContain('对端');
    expectOneSentence(f.message);
    expect(failure('授权 Pod 安全组 给 服务账号 -sa').message).toContain('服务账号');
  });

  it('points `status <app>` at the app form when the word is no request id', () => {
    expect(failure('status web')).toMatchObject({ code: 'invalid_name', suggestion: 'status app web' });
    expect(failure('status R0K2P')).toMatchObject({ suggestion: 'status request <request-id>' });
  });
});
