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

  it('name planned commands as not supported yet', () => {
    const f = failure('revoke pod SG from app x');
    expect(f).toMatchObject({ code: 'unknown_command', suggestion: 'help' });
    expect(f.message).toContain('not supported yet');
  });
});

describe('malformed commands', () => {
  it('say what is missing and suggest the full form', () => {
    expect(failure('approve')).toMatchObject({ code: 'malformed', suggestion: 'approve <request-id>' });
    expect(failure('status')).toMatchObject({ code: 'malformed', suggestion: 'status request <request-id>' });
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

  it('name later grammar as not supported yet and drop it from the suggestion', () => {
    const f = failure('grant pod SG to app web because testing');
    expect(f).toMatchObject({ code: 'malformed', suggestion: 'grant pod SG to app web' });
    expect(f.message).toContain('not supported yet');
    expect(failure('status app web')).toMatchObject({ code: 'malformed' });
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
