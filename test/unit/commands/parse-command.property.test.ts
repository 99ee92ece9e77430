import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/commands/command.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';
import { namesAreValid } from './command-validity.ts';

/** How many lines the main fuzz property reads; the issue asks for at least 10,000. */
const fuzzRuns = 10_000;

const keywords = [
  ...['grant', 'plan', 'revoke', 'pod', 'SG', 'security group', 'to', 'from', 'app', 'serviceaccount', 'sa'],
  ...['in', 'on', 'namespace', 'cluster', 'using', 'as', 'group', 'as group', 'allow', 'for', 'because'],
  ...['tcp:3306', 'udp:53', 'icmp', 'all', 'tcp:80,443', 'tcp:8000-8010', '8h', '1h30m', '30m', '2d'],
  ...['status', 'request', 'policies', 'requests', 'mine', 'pending', 'all', 'approve', 'deny', 'reject'],
  ...[
    'cancel',
    'retry',
    'rollback',
    'repair',
    'audit',
    'help',
    '10.0.0.0/8',
    '0.0.0.0/0',
    'sg-a1b2c3d4',
    'sg-db123456',
  ],
  ...[
    '授权',
    '计划',
    '撤销',
    'Pod',
    '安全组',
    '给',
    '从',
    '应用',
    '服务账号',
    '在',
    '命名空间',
    '于',
    '集群',
  ],
  ...['使用', '作为', '组', '允许', '到', '来自', '期限', '时长', '8小时', '30分钟', '原因', '因为', '状态'],
  ...[
    '请求',
    '策略',
    '请求列表',
    '我的',
    '待审批',
    '全部',
    '批准',
    '拒绝',
    '取消',
    '重试',
    '回滚',
    '审计',
    '帮助',
  ],
  ...['explain', 'pod', 'dns', 'to', '10.0.1.5', '10.0.0.0/16', 'tcp:8080', 'udp:53', 'icmp'],
  ...['解释', 'Pod', '到', '访问', '域名解析', '解析', '安全组', '应用', '在', '于'],
  ...['<@U123>', '@sgops', '/sgops', 'R7K2P', 'r7k2p', 'cls-a1b2c3d4', 'my-app', 'web', 'shop'],
];
/** Names one step away from valid, and other values every rule must refuse. */
const almostValid = [
  'sg-1234567',
  'sg-123456789',
  'sg-A1B2C3D4',
  'cls-ABCDEFGH',
  'cls-XYZ',
  'cls-a1b2c3d',
  'my_ns',
  'My_NS',
  'ns-',
  '-app',
  'app-',
  '_app',
  'a'.repeat(64),
  'R0OIL',
  'R7',
  '10.0.0.1/8',
  '10.0.0.0/33',
  '10.0.0.256/32',
  '010.0.0.0/8',
  '10.0.0.0',
  '::1/128',
  'tcp:0',
  'tcp:65536',
  'tcp:80-79',
  'tcp:80,80',
  'tcp:80,8000-8010',
  'icmp:8',
  'all:22',
  'tpc:22',
  'sctp:22',
  '0s',
  '91d',
  '1m1h',
  '1.5h',
  '-8h',
  'x'.repeat(61),
  'grp name',
  'pendng',
];
const adversarial = [
  '$(rm -rf /)',
  'app $(rm -rf /)',
  'app "a: b\n- c"',
  '`id`',
  "'; DROP TABLE requests; --",
  '{{7*7}}',
  '${process.exit()}',
  '!!python/object:os.system',
  '\n- name: x\n  value: y',
  'a: b\n- c',
  '&anchor *alias',
  '|\n  block',
  '\u202e',
  '\u0000',
  '\u0007',
  '\u001b[31m',
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
  'ｇｒａｎｔ',
  'ｓｇ－ａ１ｂ２ｃ３ｄ４',
  'a'.repeat(300),
  '授'.repeat(200),
];
const nameLike = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.!@#/ :,'), maxLength: 70 });
const anyText = fc.string({ unit: 'binary', maxLength: 120 });
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...keywords) },
  { weight: 2, arbitrary: fc.constantFrom(...almostValid) },
  { weight: 2, arbitrary: fc.constantFrom(...adversarial) },
  { weight: 2, arbitrary: nameLike },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: controlChar },
);
const separator = fc.constantFrom(' ', '  ', '\t', '', '\n', '\u3000', '，', ',', ':');
const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.tuple(piece, separator), { maxLength: 16 })
      .map((parts) => parts.map(([p, s]) => p + s).join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1990, maxLength: 2010 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 1999 }) },
);

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
  expect(result.suggestion.length).toBeLessThan(2100);
}

describe('parseCommand under random and adversarial input', () => {
  it(`never throws and always answers with a well-formed result (${fuzzRuns.toLocaleString('en')} lines)`, () => {
    fc.assert(
      fc.property(line, (text) => {
        checkShape(parseCommand(text));
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('offers suggestions without placeholders only when they parse (2,000 lines)', () => {
    fc.assert(
      fc.property(line, (text) => {
        const result = parseCommand(text);
        if (result.ok || /<[^<>]+>/.test(result.suggestion)) return;
        expect(parseCommand(result.suggestion).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts an invalid value as the value it was given (3,000 lines)', () => {
    const field = fc.constantFrom(
      'app',
      'serviceAccount',
      'namespace',
      'cluster',
      'using',
      'group',
      'peer',
      'ports',
      'duration',
      'statusApp',
      'explain',
    );
    fc.assert(
      fc.property(
        fc.oneof(nameLike, anyText, fc.constantFrom(...almostValid, ...adversarial)),
        field,
        (value, f) => {
          const templates = {
            app: [`grant pod SG to app ${value}`, `授权 Pod 安全组 给 应用 ${value}`],
            serviceAccount: [
              `plan pod SG to serviceaccount ${value}`,
              `撤销 Pod 安全组 从 服务账号 ${value}`,
            ],
            namespace: [`grant pod SG to app web in ${value}`, `授权 Pod 安全组 给 应用 web 在 ${value}`],
            cluster: [`revoke pod SG from app web on ${value}`, `授权 Pod 安全组 给 应用 web 集群 ${value}`],
            using: [`grant pod SG to app web using ${value}`, `授权 Pod 安全组 给 应用 web 使用 ${value}`],
            group: [
              `grant pod SG to app web as group ${value}`,
              `授权 Pod 安全组 给 应用 web 作为 组 ${value}`,
            ],
            peer: [
              `grant pod SG to app web allow tcp:3306 to ${value}`,
              `计划 Pod 安全组 给 应用 web 允许 all 来自 ${value}`,
            ],
            ports: [
              `grant pod SG to app web allow tcp:${value} to 10.0.0.0/8`,
              `grant pod SG to app web allow udp ${value} from sg-a1b2c3d4`,
            ],
            duration: [`grant pod SG to app web for ${value}`, `授权 Pod 安全组 给 应用 web 期限 ${value}`],
            statusApp: [`status app ${value}`, `状态 应用 web 在 ${value}`],
            explain: [
              `explain pod ${value} to sg-a1b2c3d4 tcp:3306`,
              `explain app web to ${value} udp:53`,
              `解释 应用 web 到 应用 orders 在 ${value} ${value}`,
            ],
          }[f];
          for (const text of templates) {
            const result = parseCommand(text);
            checkShape(result);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
