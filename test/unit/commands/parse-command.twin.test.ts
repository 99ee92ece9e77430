import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command, GrantOptions, Locale } from '../../../src/commands/command.ts';
import { formatCommand } from '../../../src/commands/format-command.ts';
import { formatAllowSpec, formatPeer } from '../../../src/commands/format-grant.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';
import { command, freeText, requestId } from './command-arbitraries.ts';
import * as arb from './command-arbitraries.ts';

/**
 * The twin of the fuzz property: VALID commands of every kind, written in English and 中文,
 * read back to exactly the command meant — once through formatCommand, once through
 * hand-written templates with synonyms, mixed case, odd spacing and clauses in any order.
 */
const formatRuns = 3000;
const templateRuns = 3000;

describe('parseCommand reads back what formatCommand writes', () => {
  it(`for every kind of command in both languages (${formatRuns.toLocaleString('en')} commands)`, () => {
    fc.assert(
      fc.property(command, fc.constantFrom<Locale>('en', 'zh'), (cmd, locale) => {
        const line = formatCommand(cmd, locale);
        expect(parseCommand(line)).toEqual({ ok: true, locale, command: cmd });
      }),
      { numRuns: formatRuns },
    );
  });
});

type Pick = <T>(options: readonly T[]) => T;

const en = {
  pod: ['pod', 'pods', 'POD', 'Pod'],
  sg: ['SG', 'sg', 'security group', 'Security Groups', 'securitygroup', 'security-group'],
  to: ['to', 'for', 'TO'],
  from: ['from', 'for', 'of'],
  app: ['app', 'application', 'APP'],
  sa: ['serviceaccount', 'service account', 'service-account', 'sa', 'ServiceAccount'],
  in: ['in', 'in namespace', 'namespace', 'IN'],
  on: ['on', 'on cluster', 'in cluster', 'cluster', 'On'],
  using: ['using', 'use', 'Using'],
  asGroup: ['as group', 'as security group', 'as sg', 'AS GROUP'],
  allow: ['allow', 'Allow'],
  direction: { from: ['from', 'FROM'], to: ['to', 'To'] },
  duration: ['for', 'duration', 'FOR'],
  reason: ['because', 'reason', 'Because'],
};
const zh = {
  pod: ['Pod', 'pod'],
  sg: ['安全组'],
  to: ['给', '为'],
  from: ['从', '为'],
  app: ['应用'],
  sa: ['服务账号', '服务账户'],
  in: ['在', '在 命名空间', '命名空间'],
  on: ['于', '于 集群', '在 集群', '集群', 'on'],
  using: ['使用'],
  asGroup: ['作为 组', '作为 安全组'],
  allow: ['允许'],
  direction: { from: ['来自', '从'], to: ['到'] },
  duration: ['期限', '时长', '有效期'],
  reason: ['原因', '因为', '原因：'],
};
const verbs = {
  grant: { en: ['grant', 'Grant', 'GRANT'], zh: ['授权'] },
  plan: { en: ['plan', 'PLAN'], zh: ['计划', '预览'] },
  revoke: { en: ['revoke', 'Revoke'], zh: ['撤销'] },
};

/** `8h` as `8h`, `8 hours`, `480m`, `28800 seconds`, `8小时` …; all read back to the same ms. */
function spellDuration(ms: number, locale: Locale, pick: Pick): string {
  const seconds = ms / 1000;
  const units =
    locale === 'zh'
      ? pick([
          ['天', '小时', '分钟', '秒'],
          ['日', '个小时', '分', '秒钟'],
          ['d', 'h', 'm', 's'],
        ])
      : pick([
          ['d', 'h', 'm', 's'],
          [' days ', ' hours ', ' minutes ', ' seconds'],
          ['D', 'H', 'M', 'S'],
        ]);
  if (pick([true, false])) return `${seconds}${units[3]}`.trim();
  const sizes = [86400, 3600, 60, 1];
  let rest = seconds;
  const parts: string[] = [];
  sizes.forEach((size, i) => {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${units[i]}`);
  });
  return parts.join('').trim();
}

/** Joins words; in Chinese, sometimes without spaces next to Han, as people type it. */
function join(words: string[], locale: Locale, pick: Pick): string {
  const han = /\p{Script=Han}/u;
  let out = words[0] ?? '';
  for (let i = 1; i < words.length; i += 1) {
    const prev = words[i - 1] ?? '';
    const next = words[i] ?? '';
    const tight = locale === 'zh' && (han.test(prev.slice(-1)) || han.test(next.slice(0, 1)));
    out += tight && pick([true, false]) ? '' : pick([' ', '  ', '\t', ' \u3000']);
    out += next;
  }
  return out;
}

function grantLine(kind: 'grant' | 'plan' | 'revoke', o: GrantOptions, locale: Locale, pick: Pick): string {
  const w = locale === 'zh' ? zh : en;
  const head = [pick(verbs[kind][locale]), pick(w.pod), pick(w.sg), pick(kind === 'revoke' ? w.from : w.to)];
  head.push(
    ...(o.target.kind === 'app' ? [pick(w.app), o.target.app] : [pick(w.sa), o.target.serviceAccount]),
  );
  const clauses: { words: string[]; allow?: true }[] = [];
  if (o.namespace !== undefined) {
    // `in cluster <x>` would mean the cluster: such namespaces need the full intro.
    const intro =
      ['cluster', 'namespace'].includes(o.namespace) && locale === 'en' ? 'in namespace' : pick(w.in);
    clauses.push({ words: [intro, o.namespace] });
  }
  if (o.clusterId !== undefined) clauses.push({ words: [pick(w.on), o.clusterId] });
  if (o.groups?.kind === 'existing')
    clauses.push({ words: [pick(w.using), o.groups.ids.join(pick([',', ', ', '，']))] });
  if (o.groups?.kind === 'named') clauses.push({ words: [pick(w.asGroup), o.groups.name] });
  for (const rule of o.allow ?? []) {
    const spec = formatAllowSpec(rule);
    const spelt = pick([spec, spec.toUpperCase(), spec.replace(':', ' : '), spec.replace(':', ' ')]);
    clauses.push({
      words: [pick(w.allow), spelt, pick(w.direction[rule.direction]), formatPeer(rule.peer)],
      allow: true,
    });
  }
  if (o.durationMs !== undefined)
    clauses.push({ words: [pick(w.duration), spellDuration(o.durationMs, locale, pick)] });
  // Clause order is free, except that allow rules keep their order among themselves (the
  // command lists them in order) and the reason, taking the rest of the line, comes last.
  const allowKey = pick([0, 1, 2, 3, 4, 5, 6, 7]);
  const shuffled = clauses
    .map((c) => ({ c, key: c.allow ? allowKey : pick([0, 1, 2, 3, 4, 5, 6, 7]) }))
    .sort((a, b) => a.key - b.key)
    .flatMap(({ c }) => c.words);
  const words = [...head, ...shuffled];
  if (o.reason !== undefined) words.push(pick(w.reason), o.reason);
  return join(words, locale, pick);
}

type Explain = Extract<Command, { kind: 'explain' }>;

const explainWords = {
  en: {
    verb: ['explain', 'Explain', 'EXPLAIN'],
    app: ['app', 'application', 'APP'],
    pod: ['pod', 'pods', 'Pod'],
    to: ['to', 'To'],
    sg: ['', 'sg', 'security group', 'SG'],
    dns: ['dns', 'DNS'],
  },
  zh: {
    verb: ['解释'],
    app: ['应用'],
    pod: ['Pod', 'pod'],
    to: ['到', '访问'],
    sg: ['', '安全组'],
    dns: ['域名解析', 'dns', 'DNS 解析', 'DNS解析', '解析'],
  },
};

/** `explain …` with synonyms; `in` and `on` where the grammar lets them move. */
function explainLine(cmd: Explain, locale: Locale, pick: Pick): string {
  const w = locale === 'zh' ? zh : en;
  const x = explainWords[locale];
  const where = (ns: string): string[] => [
    ['cluster', 'namespace'].includes(ns) && locale === 'en' ? 'in namespace' : pick(w.in),
    ns,
  ];
  const { source, target } = cmd;
  const words = [
    pick(x.verb),
    ...(source.kind === 'app' ? [pick(x.app), source.app] : [pick(x.pod), source.pod]),
  ];
  const cluster = cmd.clusterId === undefined ? [] : [pick(w.on), cmd.clusterId];
  const sourceNs = cmd.namespace === undefined ? [] : where(cmd.namespace);
  // A source namespace may follow a target that has no namespace of its own.
  const nsLate = target.kind !== 'app' && target.kind !== 'pod' && pick([true, false]);
  const clusterAt = pick([0, 1, 2]);
  if (!nsLate) words.push(...sourceNs);
  if (clusterAt === 0) words.push(...cluster);
  const flow = cmd.flow === undefined ? [] : [spellFlow(cmd.flow, pick)];
  let targetNs: string[] = [];
  if (target.kind === 'dns') words.push(pick(x.dns));
  else if (target.kind === 'app' || target.kind === 'pod') {
    words.push(
      pick(x.to),
      pick(target.kind === 'app' ? x.app : x.pod),
      target.kind === 'app' ? target.app : target.pod,
    );
    targetNs = target.namespace === undefined ? [] : where(target.namespace);
  } else {
    const text =
      target.kind === 'group' ? target.securityGroupId : target.kind === 'ip' ? target.ip : target.cidr;
    const sg = target.kind === 'group' ? pick(x.sg) : '';
    words.push(pick(x.to), ...(sg === '' ? [] : [sg]), text);
  }
  const targetNsLate = pick([true, false]);
  if (!targetNsLate) words.push(...targetNs);
  if (clusterAt === 1) words.push(...cluster);
  if (nsLate) words.push(...sourceNs);
  words.push(...flow);
  if (targetNsLate) words.push(...targetNs);
  if (clusterAt === 2) words.push(...cluster);
  return join(words, locale, pick);
}

function spellFlow(flow: NonNullable<Explain['flow']>, pick: Pick): string {
  if (flow.protocol === 'ICMP') return pick(['icmp', 'ICMP']);
  const word = pick([flow.protocol.toLowerCase(), flow.protocol]);
  return `${word}${pick([':', ' : ', ' ', '：'])}${flow.port}`;
}

function otherLine(cmd: Command, locale: Locale, pick: Pick): string | undefined {
  const z = locale === 'zh';
  const id = (requestIdText: string): string =>
    pick([requestIdText, requestIdText.toLowerCase(), `#${requestIdText}`]);
  const request = z ? pick(['请求 ', '']) : pick(['request ', 'req ', '']);
  switch (cmd.kind) {
    case 'status':
      return `${z ? pick(['状态', '查询']) : pick(['status', 'Status'])} ${request}${id(cmd.requestId)}`;
    case 'statusApp': {
      const ns = cmd.namespace;
      const where =
        ns === undefined
          ? ''
          : z
            ? ` ${pick(['在', '命名空间', '在 命名空间'])} ${ns}`
            : ` ${['cluster', 'namespace'].includes(ns) ? 'in namespace' : pick(['in', 'namespace', 'in namespace'])} ${ns}`;
      return `${z ? '状态 应用' : pick(['status app', 'STATUS application'])} ${cmd.app}${where}`;
    }
    case 'statusPolicies': {
      const ns = cmd.namespace;
      const where =
        ns === undefined ? '' : ` ${z ? pick(['在', '命名空间']) : pick(['in', 'namespace'])} ${ns}`;
      return `${z ? '状态 策略' : pick(['status policies', 'status policy', 'Status Policies'])}${where}`;
    }
    case 'requests': {
      const words = {
        mine: z ? ['我的', ''] : ['mine', 'my', 'Mine', ''],
        pending: z ? ['待审批', '待批准'] : ['pending', 'PENDING'],
        all: z ? ['全部', '所有'] : ['all', 'All'],
      }[cmd.filter];
      return `${z ? '请求列表' : pick(['requests', 'Requests'])} ${pick(words)}`.trim();
    }
    case 'approve':
      return `${z ? pick(['批准', '同意']) : pick(['approve', 'Approve'])} ${request}${id(cmd.requestId)}${cmd.comment === undefined ? '' : ` ${cmd.comment}`}`;
    case 'deny':
      return `${z ? pick(['拒绝', '驳回']) : pick(['deny', 'reject', 'DENY'])} ${request}${id(cmd.requestId)} ${cmd.reason}`;
    case 'cancel':
    case 'retry':
    case 'rollback':
    case 'repair':
    case 'audit': {
      const word = {
        cancel: ['cancel', '取消'],
        retry: ['retry', '重试'],
        rollback: ['rollback', '回滚'],
        repair: ['repair', '修复'],
        audit: ['audit', '审计'],
      }[cmd.kind][z ? 1 : 0] as string;
      return `${z ? word : pick([word, word.toUpperCase()])} ${request}${id(cmd.requestId)}`;
    }
    default:
      return undefined;
  }
}

describe('parseCommand reads hand-written lines', () => {
  it(`with synonyms, mixed case, odd spacing and clauses in any order (${templateRuns.toLocaleString('en')} lines)`, () => {
    fc.assert(
      fc.property(
        command,
        fc.constantFrom<Locale>('en', 'zh'),
        fc.infiniteStream(fc.nat()),
        (cmd, locale, stream) => {
          const it = stream[Symbol.iterator]();
          const pick: Pick = (options) =>
            options[(it.next().value as number) % options.length] as (typeof options)[number];
          const line =
            cmd.kind === 'grant' || cmd.kind === 'plan'
              ? grantLine(cmd.kind, cmd, locale, pick)
              : cmd.kind === 'revoke'
                ? grantLine('revoke', cmd, locale, pick)
                : cmd.kind === 'explain'
                  ? explainLine(cmd, locale, pick)
                  : otherLine(cmd, locale, pick);
          if (line === undefined) return;
          expect(parseCommand(line), line).toEqual({ ok: true, locale, command: cmd });
        },
      ),
      { numRuns: templateRuns },
    );
  });

  it('reads a bare status as the caller’s own requests', () => {
    expect(parseCommand('status')).toEqual({
      ok: true,
      locale: 'en',
      command: { kind: 'requests', filter: 'mine' },
    });
    expect(parseCommand('状态')).toEqual({
      ok: true,
      locale: 'zh',
      command: { kind: 'requests', filter: 'mine' },
    });
  });

  it('keeps comments and reasons exactly as written', () => {
    fc.assert(
      fc.property(requestId, freeText, (id, text) => {
        expect(parseCommand(`deny ${id} ${text}`)).toEqual({
          ok: true,
          locale: 'en',
          command: { kind: 'deny', requestId: id, reason: text },
        });
        expect(parseCommand(`撤销 Pod 安全组 从 应用 web 原因 ${text}`)).toMatchObject({
          ok: true,
          command: { kind: 'revoke', reason: text },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('reads any valid app, namespace and cluster in any clause order', () => {
    fc.assert(
      fc.property(arb.appName, arb.clusterId, (app, cluster) => {
        expect(parseCommand(`grant pod SG to app ${app} on ${cluster} in shop`)).toEqual({
          ok: true,
          locale: 'en',
          command: { kind: 'grant', target: { kind: 'app', app }, namespace: 'shop', clusterId: cluster },
        });
      }),
      { numRuns: 200 },
    );
  });
});
