import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command, ParseResult } from '../../../src/commands/command.ts';
import { formatCommand } from '../../../src/commands/format-command.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';
import { isAppName } from '../../../src/domain/is-app-name.ts';
import { isClusterId } from '../../../src/domain/is-cluster-id.ts';
import { isDns1123Label } from '../../../src/domain/is-dns1123-label.ts';
import { isRequestId } from '../../../src/domain/request-id.ts';

const keywords = [
  'grant',
  'pod',
  'SG',
  'to',
  'app',
  'in',
  'on',
  'namespace',
  'cluster',
  'status',
  'request',
  'approve',
  'deny',
  'reject',
  'help',
  'because',
  'using',
  'revoke',
  '授权',
  'Pod',
  '安全组',
  '给',
  '应用',
  '在',
  '命名空间',
  '于',
  '集群',
  '状态',
  '请求',
  '批准',
  '拒绝',
  '帮助',
  '<@U123>',
  '@sgops',
  '/sgops',
  'R7K2P',
  'r7k2p',
  'R0OIL',
  'cls-a1b2c3d4',
  'cls-XYZ',
  'My_NS',
  'my-app',
  'My App!',
];
const adversarial = [
  '$(rm -rf /)',
  '`id`',
  "'; DROP TABLE requests; --",
  '{{7*7}}',
  '${process.exit()}',
  '!!python/object:os.system',
  '\n- name: x\n  value: y',
  '\u202e',
  '\u0000',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '<!channel>',
  '<#C1|general>',
  '<http://x.y|x.y>',
  '../../etc/passwd',
  '%s%n%x',
  '\\',
  '"',
  "'",
  '“',
  '」',
  'İ',
  'ß',
  'ﷺ',
  '😀',
  '👩‍👩‍👧',
  '　',
  '\t',
  '\r\n',
  'a'.repeat(300),
  '授'.repeat(200),
];
const nameLike = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.!@#/ :'), maxLength: 70 });
const anyText = fc.string({ unit: 'binary', maxLength: 120 });
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...keywords) },
  { weight: 2, arbitrary: fc.constantFrom(...adversarial) },
  { weight: 2, arbitrary: nameLike },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: loneSurrogate },
);
const separator = fc.constantFrom(' ', '  ', '\t', '', '\n', '\u3000', '，');
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(piece, separator), { maxLength: 14 })
      .map((parts) => parts.map(([p, s]) => p + s).join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1990, maxLength: 2010 }) },
);

function namesAreValid(command: Command): boolean {
  switch (command.kind) {
    case 'grant':
      return (
        isAppName(command.target.app) &&
        (command.namespace === undefined || isDns1123Label(command.namespace)) &&
        (command.clusterId === undefined || isClusterId(command.clusterId))
      );
    case 'status':
    case 'approve':
      return isRequestId(command.requestId);
    case 'deny':
      return isRequestId(command.requestId) && command.reason.length > 0;
    case 'help':
      return true;
  }
}

function checkShape(result: ParseResult): void {
  expect(['en', 'zh']).toContain(result.locale);
  if (result.ok) {
    expect(namesAreValid(result.command)).toBe(true);
    return;
  }
  expect(['unknown_command', 'malformed', 'invalid_name']).toContain(result.code);
  expect(result.message.length).toBeGreaterThan(0);
  // Echoes are shortened, so a reply never repeats a huge paste.
  expect(result.message.length).toBeLessThan(400);
  expect(result.suggestion.length).toBeGreaterThan(0);
}

describe('parseCommand under random and adversarial input', () => {
  it('never throws and always answers with a well-formed result (3,000 lines)', () => {
    fc.assert(
      fc.property(line, (text) => {
        checkShape(parseCommand(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('offers suggestions without placeholders only when they parse', () => {
    fc.assert(
      fc.property(line, (text) => {
        const result = parseCommand(text);
        if (result.ok || /<[^<>]+>/.test(result.suggestion)) return;
        expect(parseCommand(result.suggestion).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts an invalid name as the name it was given', () => {
    fc.assert(
      fc.property(
        fc.oneof(nameLike, anyText),
        fc.constantFrom('app', 'namespace', 'cluster'),
        (name, field) => {
          const templates = {
            app: [`grant pod SG to app ${name}`, `授权 Pod 安全组 给 应用 ${name}`],
            namespace: [`grant pod SG to app web in ${name}`, `授权 Pod 安全组 给 应用 web 在 ${name}`],
            cluster: [`grant pod SG to app web on ${name}`, `授权 Pod 安全组 给 应用 web 集群 ${name}`],
          }[field];
          const valid = { app: isAppName, namespace: isDns1123Label, cluster: isClusterId }[field];
          for (const text of templates) {
            const result = parseCommand(text);
            if (!result.ok || result.command.kind !== 'grant') continue;
            const got = {
              app: result.command.target.app,
              namespace: result.command.namespace,
              cluster: result.command.clusterId,
            }[field];
            if (!valid(name)) expect(got).not.toBe(name);
            else expect(got).toBe(name);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads back every command it formats, in both languages', () => {
    const app = fc
      .tuple(
        fc.constantFrom(...'abXY09'),
        fc.string({ unit: fc.constantFrom(...'abXY09-_.'), maxLength: 20 }),
        fc.constantFrom(...'abXY09'),
      )
      .map(([a, b, c]) => a + b + c);
    const ns = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    const cluster = fc.stringMatching(/^cls-[a-z0-9]{8}$/);
    const id = fc.stringMatching(/^R[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((t) => t.trim() === t && /\S/.test(t));
    const command: fc.Arbitrary<Command> = fc.oneof(
      fc.record(
        {
          kind: fc.constant('grant' as const),
          target: fc.record({ kind: fc.constant('app' as const), app }),
          namespace: ns,
          clusterId: cluster,
        },
        { requiredKeys: ['kind', 'target'] },
      ),
      fc.record({ kind: fc.constant('status' as const), requestId: id }),
      fc.record(
        { kind: fc.constant('approve' as const), requestId: id, comment: text },
        { requiredKeys: ['kind', 'requestId'] },
      ),
      fc.record({ kind: fc.constant('deny' as const), requestId: id, reason: text }),
      fc.record(
        {
          kind: fc.constant('help' as const),
          topic: fc.constantFrom('grant', 'status', 'approve', 'deny', 'help'),
        },
        { requiredKeys: ['kind'] },
      ),
    );
    fc.assert(
      fc.property(command, fc.constantFrom('en' as const, 'zh' as const), (cmd, locale) => {
        const parsed = parseCommand(formatCommand(cmd, locale));
        expect(parsed).toEqual({ ok: true, locale, command: cmd });
      }),
      { numRuns: 1000 },
    );
  });
});
