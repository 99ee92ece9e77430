import { describe, expect, it } from 'vitest';
import type { Command, Locale } from '../../../src/commands/command.ts';
import { formatCommand } from '../../../src/commands/format-command.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';

type Explain = Extract<Command, { kind: 'explain' }>;

const app = (name: string) => ({ kind: 'app' as const, app: name });
const pod = (name: string) => ({ kind: 'pod' as const, pod: name });
const sg = { kind: 'group' as const, securityGroupId: 'sg-ordersdb' };
const tcp = (port: number) => ({ protocol: 'TCP' as const, port });
const udp = (port: number) => ({ protocol: 'UDP' as const, port });

/** Every documented form, in English and 中文, and the command each one means. */
const forms: [string, Locale, Omit<Explain, 'kind'>][] = [
  [
    'explain app my-app in my-namespace on cls-a1b2c3d4 to sg-ordersdb tcp:3306',
    'en',
    {
      source: app('my-app'),
      namespace: 'my-namespace',
      clusterId: 'cls-a1b2c3d4',
      target: sg,
      flow: tcp(3306),
    },
  ],
  [
    '解释 应用 my-app 在 my-namespace 于 cls-a1b2c3d4 到 sg-ordersdb tcp:3306',
    'zh',
    {
      source: app('my-app'),
      namespace: 'my-namespace',
      clusterId: 'cls-a1b2c3d4',
      target: sg,
      flow: tcp(3306),
    },
  ],
  ['explain app my-app to sg-ordersdb udp:53', 'en', { source: app('my-app'), target: sg, flow: udp(53) }],
  ['解释 应用 my-app 到 sg-ordersdb udp:53', 'zh', { source: app('my-app'), target: sg, flow: udp(53) }],
  [
    'explain app my-app to sg-ordersdb icmp',
    'en',
    { source: app('my-app'), target: sg, flow: { protocol: 'ICMP' } },
  ],
  [
    '解释 应用 my-app 到 sg-ordersdb icmp',
    'zh',
    { source: app('my-app'), target: sg, flow: { protocol: 'ICMP' } },
  ],
  ['explain app my-app to sg-ordersdb', 'en', { source: app('my-app'), target: sg }],
  ['解释 应用 my-app 到 安全组 sg-ordersdb', 'zh', { source: app('my-app'), target: sg }],
  [
    'explain pod my-pod-abc in ns to app orders in shop tcp:8080',
    'en',
    {
      source: pod('my-pod-abc'),
      namespace: 'ns',
      target: { ...app('orders'), namespace: 'shop' },
      flow: tcp(8080),
    },
  ],
  [
    '解释 Pod my-pod-abc 在 ns 到 应用 orders 在 shop tcp:8080',
    'zh',
    {
      source: pod('my-pod-abc'),
      namespace: 'ns',
      target: { ...app('orders'), namespace: 'shop' },
      flow: tcp(8080),
    },
  ],
  [
    'explain pod my-pod-abc to pod orders-0 tcp:8080',
    'en',
    { source: pod('my-pod-abc'), target: pod('orders-0'), flow: tcp(8080) },
  ],
  [
    '解释 Pod my-pod-abc 到 Pod orders-0 tcp:8080',
    'zh',
    { source: pod('my-pod-abc'), target: pod('orders-0'), flow: tcp(8080) },
  ],
  [
    'explain app my-app to 10.0.1.5 tcp:443',
    'en',
    { source: app('my-app'), target: { kind: 'ip', ip: '10.0.1.5' }, flow: tcp(443) },
  ],
  [
    '解释 应用 my-app 到 10.0.1.5 tcp:443',
    'zh',
    { source: app('my-app'), target: { kind: 'ip', ip: '10.0.1.5' }, flow: tcp(443) },
  ],
  [
    'explain app my-app to 10.0.0.0/16 udp:53',
    'en',
    { source: app('my-app'), target: { kind: 'cidr', cidr: '10.0.0.0/16' }, flow: udp(53) },
  ],
  [
    '解释 应用 my-app 到 10.0.0.0/16 udp:53',
    'zh',
    { source: app('my-app'), target: { kind: 'cidr', cidr: '10.0.0.0/16' }, flow: udp(53) },
  ],
  ['explain app my-app dns', 'en', { source: app('my-app'), target: { kind: 'dns' } }],
  ['解释 应用 my-app 域名解析', 'zh', { source: app('my-app'), target: { kind: 'dns' } }],
  ['解释 应用 my-app dns', 'zh', { source: app('my-app'), target: { kind: 'dns' } }],
  ['explain app my-app in ns dns', 'en', { source: app('my-app'), namespace: 'ns', target: { kind: 'dns' } }],
  [
    '解释 应用 my-app 在 ns 域名解析',
    'zh',
    { source: app('my-app'), namespace: 'ns', target: { kind: 'dns' } },
  ],
];

/** Forms written with a synonym; the canonical line says `域名解析` and leaves out `安全组`. */
const synonymous = new Set(['解释 应用 my-app dns', '解释 应用 my-app 到 安全组 sg-ordersdb']);

/** The same commands as people also type them: synonyms, case, spacing, clauses moved. */
const variants: [string, Locale, Omit<Explain, 'kind'>][] = [
  [
    'Explain APP my-app on cluster cls-a1b2c3d4 TO security group sg-ordersdb TCP 3306 in namespace my-namespace',
    'en',
    {
      source: app('my-app'),
      namespace: 'my-namespace',
      clusterId: 'cls-a1b2c3d4',
      target: sg,
      flow: tcp(3306),
    },
  ],
  ['explain app my-app dns in ns', 'en', { source: app('my-app'), namespace: 'ns', target: { kind: 'dns' } }],
  [
    'explain app my-app to sg-ordersdb tcp : 3306',
    'en',
    { source: app('my-app'), target: sg, flow: tcp(3306) },
  ],
  ['解释应用my-app域名解析', 'zh', { source: app('my-app'), target: { kind: 'dns' } }],
  ['解释 应用 my-app DNS解析', 'zh', { source: app('my-app'), target: { kind: 'dns' } }],
  [
    '解释应用my-app在shop访问sg-ordersdb tcp：3306',
    'zh',
    { source: app('my-app'), namespace: 'shop', target: sg, flow: tcp(3306) },
  ],
  // Names spelt like keywords are read by position.
  ['explain app dns dns', 'en', { source: app('dns'), target: { kind: 'dns' } }],
  ['explain pod to to pod tcp tcp:80', 'en', { source: pod('to'), target: pod('tcp'), flow: tcp(80) }],
];

describe('explain', () => {
  it.each([...forms, ...variants])('reads %s', (line, locale, command) => {
    expect(parseCommand(line)).toEqual({ ok: true, locale, command: { kind: 'explain', ...command } });
  });

  it.each(forms.filter(([line]) => !synonymous.has(line)))(
    'writes %s back as it was written',
    (line, locale, command) => {
      expect(formatCommand({ kind: 'explain', ...command }, locale)).toBe(line);
    },
  );
});

/** Mistakes, each with its code, what the message names, and the line suggested instead. */
const mistakes: [string, { code: string; locale: Locale; message: string; suggestion: string }][] = [
  [
    'explian app my-app to sg-ordersdb tcp:3306',
    {
      code: 'unknown_command',
      locale: 'en',
      message: 'explian',
      suggestion: 'explain app my-app to sg-ordersdb tcp:3306',
    },
  ],
  [
    '解析 应用 my-app 域名解析',
    { code: 'unknown_command', locale: 'zh', message: '解析', suggestion: '解释 应用 my-app 域名解析' },
  ],
  [
    'explain app my-app sg-ordersdb tcp:3306',
    {
      code: 'malformed',
      locale: 'en',
      message: 'Expected “to” after “explain app my-app”.',
      suggestion: 'explain app my-app to sg-ordersdb tcp:3306',
    },
  ],
  [
    '解释 应用 my-app sg-ordersdb tcp:3306',
    {
      code: 'malformed',
      locale: 'zh',
      message: '“解释 应用 my-app”之后应为“到”。',
      suggestion: '解释 应用 my-app 到 sg-ordersdb tcp:3306',
    },
  ],
  [
    'explain app my-app',
    {
      code: 'malformed',
      locale: 'en',
      message: 'Expected “to”',
      suggestion: 'explain app my-app to <target>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb tcp:70000',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The port “70000” is not valid',
      suggestion: 'explain app my-app to sg-ordersdb tcp:<port>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb tcp:0',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The port “0” is not valid',
      suggestion: 'explain app my-app to sg-ordersdb tcp:<port>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb tcp:8000-8010',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'a single port from 1 to 65535',
      suggestion: 'explain app my-app to sg-ordersdb tcp:<port>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb tcp',
    {
      code: 'malformed',
      locale: 'en',
      message: 'The port is missing after “explain app my-app to sg-ordersdb tcp”.',
      suggestion: 'explain app my-app to sg-ordersdb tcp:<port>',
    },
  ],
  [
    '解释 应用 my-app 到 sg-ordersdb udp',
    {
      code: 'malformed',
      locale: 'zh',
      message: '之后缺少端口。',
      suggestion: '解释 应用 my-app 到 sg-ordersdb udp:<端口>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb icmp:8',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'ICMP',
      suggestion: 'explain app my-app to sg-ordersdb icmp',
    },
  ],
  [
    'explain app my-app to sg-ordersdb all',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The protocol and port “all” is not valid',
      suggestion: 'explain app my-app to sg-ordersdb <protocol>:<port>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb tpc:3306',
    {
      code: 'invalid_name',
      locale: 'en',
      message: '“tpc:3306”',
      suggestion: 'explain app my-app to sg-ordersdb tcp:3306',
    },
  ],
  [
    'explain app my-app to 10.0.1.300 tcp:443',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The IP address “10.0.1.300” is not valid',
      suggestion: 'explain app my-app to <ip> tcp:443',
    },
  ],
  [
    'explain app my-app to 10.0.1.0/16 udp:53',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The CIDR “10.0.1.0/16” is not valid',
      suggestion: 'explain app my-app to 10.0.0.0/16 udp:53',
    },
  ],
  [
    '解释 应用 my-app 到 10.0.0.0/33',
    {
      code: 'invalid_name',
      locale: 'zh',
      message: '网段“10.0.0.0/33”无效',
      suggestion: '解释 应用 my-app 到 <网段>',
    },
  ],
  [
    'explain app my-app to sg-ORDERSDB',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The security group id “sg-ORDERSDB” is not valid',
      suggestion: 'explain app my-app to sg-ordersdb',
    },
  ],
  [
    'explain app my-app to orders tcp:8080',
    {
      code: 'malformed',
      locale: 'en',
      message: 'Expected “app” after “explain app my-app to”.',
      suggestion: 'explain app my-app to app orders tcp:8080',
    },
  ],
  [
    'explain app my-app to',
    {
      code: 'malformed',
      locale: 'en',
      message: 'The target is missing',
      suggestion: 'explain app my-app to <target>',
    },
  ],
  [
    'explain app my-app dns tcp:53',
    {
      code: 'malformed',
      locale: 'en',
      message: '“tcp:53” cannot follow dns',
      suggestion: 'explain app my-app dns',
    },
  ],
  [
    '解释 应用 my-app 域名解析 udp:53',
    {
      code: 'malformed',
      locale: 'zh',
      message: '域名解析之后不能写“udp:53”',
      suggestion: '解释 应用 my-app 域名解析',
    },
  ],
  [
    'explain app to sg-ordersdb',
    {
      code: 'malformed',
      locale: 'en',
      message: 'The app name is missing after “explain app”.',
      suggestion: 'explain app <app> to <target>',
    },
  ],
  [
    'explain my-app to sg-ordersdb',
    {
      code: 'malformed',
      locale: 'en',
      message: 'Expected “app” after “explain”.',
      suggestion: 'explain app my-app to sg-ordersdb',
    },
  ],
  [
    'explain ap my-app dns',
    { code: 'malformed', locale: 'en', message: '“ap”', suggestion: 'explain app my-app dns' },
  ],
  [
    'explain app my-app ot sg-ordersdb',
    { code: 'malformed', locale: 'en', message: '“ot”', suggestion: 'explain app my-app to sg-ordersdb' },
  ],
  [
    'explain pod my-pod to app orders inn shop tcp:8080',
    {
      code: 'malformed',
      locale: 'en',
      message: '“inn”',
      suggestion: 'explain pod my-pod to app orders in shop tcp:8080',
    },
  ],
  [
    'explain pod My_Pod to sg-ordersdb',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The pod name “My_Pod” is not valid',
      suggestion: 'explain pod my-pod to sg-ordersdb',
    },
  ],
  [
    'explain app my-app in My_NS dns',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The namespace “My_NS”',
      suggestion: 'explain app my-app in my-ns dns',
    },
  ],
  [
    'explain app my-app on cls-XYZ dns',
    {
      code: 'invalid_name',
      locale: 'en',
      message: 'The cluster id “cls-XYZ”',
      suggestion: 'explain app my-app on <cluster-id> dns',
    },
  ],
  [
    'explain app my-app in a in b dns',
    {
      code: 'malformed',
      locale: 'en',
      message: 'The namespace is given more than once.',
      suggestion: 'explain app my-app in a to <target>',
    },
  ],
  [
    'explain app my-app to sg-ordersdb tcp:80 udp:53',
    {
      code: 'malformed',
      locale: 'en',
      message: 'The protocol and port is given more than once.',
      suggestion: 'explain app my-app to sg-ordersdb tcp:80',
    },
  ],
  [
    'explain app my-app to sg-ordersdb because why not',
    {
      code: 'malformed',
      locale: 'en',
      message: '“because”',
      suggestion: 'explain app my-app to sg-ordersdb',
    },
  ],
  [
    'explain app my-app in',
    {
      code: 'malformed',
      locale: 'en',
      message: 'The namespace is missing',
      suggestion: 'explain app my-app in <namespace> to <target>',
    },
  ],
];

describe('explain mistakes', () => {
  it.each(mistakes)('%s is refused with a suggestion', (line, expected) => {
    const result = parseCommand(line);
    expect(result.ok, JSON.stringify(result)).toBe(false);
    if (result.ok) return;
    expect(result).toMatchObject({
      code: expected.code,
      locale: expected.locale,
      suggestion: expected.suggestion,
    });
    expect(result.message).toContain(expected.message);
  });

  it('suggests only lines that parse, unless they hold a placeholder', () => {
    for (const [line] of mistakes) {
      const result = parseCommand(line);
      if (result.ok || /<[^<>]+>/.test(result.suggestion)) continue;
      expect(parseCommand(result.suggestion), result.suggestion).toMatchObject({ ok: true });
    }
  });
});
