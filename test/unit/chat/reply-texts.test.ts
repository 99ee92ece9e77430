import { describe, expect, it } from 'vitest';
import { replyTexts, stepLabel, stepLabels } from '../../../src/chat/reply-texts.ts';
import type { ReplyKey } from '../../../src/chat/reply-texts.ts';
import { helpText } from '../../../src/commands/help-text.ts';
import { verbWords, verbs } from '../../../src/commands/keywords.ts';
import { helpReference } from '../../../src/commands/help-entries.ts';

const han = /\p{Script=Han}/u;

/** One sample value for every parameter any reply takes; extra fields are ignored by each text. */
const sample = {
  user: 'U0ALICE',
  person: 'alice',
  namespace: 'my-namespace',
  cluster: 'cls-a1b2c3d4',
  known: 'cls-a1b2c3d4, cls-b2c3d4e5',
  id: 'R7K2P',
  state: 'verifying',
  what: 'pod SG to app my-app',
  plan: '1. create sg',
  essentials: 'Sign-offs needed: approvers of my-namespace',
  waiting: 'owners of orders-db (group:dba) — Erin (erin): 0 of 1',
  requester: 'alice',
  by: 'bob',
  count: 1,
  quorum: 2,
  step: 'applyPolicy',
  pods: 'web-1',
  message: 'bad line',
  hint: 'check it',
  reason: 'release 42',
  progress: 'Deployment my-app: 1/2 updated, 1 available',
  workflow: 'grant',
  target: 'app my-app',
  at: '2026-05-01 18:00',
  pod: 'web-1',
  line: 'explain app my-app to sg-ordersdb tcp:443',
  who: 'app my-app',
  region: 'ap-guangzhou',
  phase: 'Running',
  ready: true,
  node: 'eklet-1',
  warning: 'security groups is only support super node',
  since: '2026-05-01 18:00 UTC',
  notes: '- the DNS rule UDP 53 is missing',
  undone: 'policy removed',
  detail: 'details',
  suggestion: 'help',
  ref: 'ref-1',
  title: 'T',
  lines: 'R7K2P',
  filter: 'mine' as const,
  requested: '100d',
  max: '90d',
  app: 'my-app',
  serviceAccount: 'api',
  apps: 'my-app, db',
  accounts: 'default, api',
  approvers: 'Bob (bob) or Carol (carol)',
  nodes: '10.0.0.1',
  patches: "`kubectl patch deployment legacy-app -n my-namespace --type merge -p '{}'`",
  policy: 'applied',
  requests: 'none',
  removed: 'sg-a1b2c3d4',
  kept: 'sg-db123456',
  duration: '8h',
  expires: '2026-05-01 18:00 UTC',
  left: '15m',
  revokeId: 'R7K2PX',
  waited: '4h',
  coveredBy: 'R9QWE',
  scope: 'in my-namespace',
  selector: 'app=my-app',
  groups: 'sg-a1b2c3d4',
  origin: 'managed by sgops',
  onSuper: 2,
  carrying: 1,
  elsewhere: 1,
  grantId: 'R9QWE',
  repairId: 'R4MNB',
  restored: 'TCP 53 sg-a1b2c3d4 (ingress) in sg-sandbox1',
};

/**
 * Replies whose words are all parameters: with sample data they carry no Chinese, and differ from
 * English only by punctuation (full-width colon, ……).
 */
const dataOnly: ReplyKey[] = ['requestsList', 'stepStarted'];

type AnyText = (p: typeof sample) => string;
const textOf = (locale: 'en' | 'zh', key: ReplyKey, params: typeof sample = sample): string =>
  (replyTexts[locale][key] as unknown as AnyText)(params);

const replyKeys = Object.keys(replyTexts.en).sort() as ReplyKey[];

describe('reply texts in English and Chinese', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(replyTexts.zh).sort()).toEqual(replyKeys);
    expect(replyKeys.length).toBeGreaterThan(30);
  });

  it.each(replyKeys)('%s gives non-empty, different text in each language', (key) => {
    expect(typeof replyTexts.zh[key]).toBe('function');
    // Optional parts (hint, detail, kept) both present and absent.
    for (const params of [sample, { ...sample, hint: '', detail: '', kept: '', approvers: '' }]) {
      const en = textOf('en', key, params);
      const zh = textOf('zh', key, params);
      expect(en.trim().length).toBeGreaterThan(0);
      expect(zh.trim().length).toBeGreaterThan(0);
      expect(zh).not.toBe(en);
      expect(en).not.toMatch(han);
      if (!dataOnly.includes(key)) expect(zh).toMatch(han);
      expect(en).not.toContain('undefined');
      expect(zh).not.toContain('undefined');
    }
  });

  it('lists the data-only replies explicitly and each is still written differently in Chinese', () => {
    for (const key of dataOnly) {
      expect(replyKeys).toContain(key);
      expect(textOf('zh', key)).not.toMatch(han);
      expect(textOf('zh', key)).not.toBe(textOf('en', key));
    }
  });

  it('titles every requests filter in both languages', () => {
    for (const filter of ['mine', 'pending', 'all'] as const) {
      const en = replyTexts.en.requestsTitle({ filter });
      const zh = replyTexts.zh.requestsTitle({ filter });
      expect(en).not.toMatch(han);
      expect(zh).toMatch(han);
    }
    const titles = (locale: 'en' | 'zh') =>
      new Set(
        (['mine', 'pending', 'all'] as const).map((filter) => replyTexts[locale].requestsTitle({ filter })),
      );
    expect(titles('en').size).toBe(3);
    expect(titles('zh').size).toBe(3);
  });
});

describe('step labels in English and Chinese', () => {
  const stepKeys = Object.keys(stepLabels.en).sort();

  it('have the same steps in both languages', () => {
    expect(Object.keys(stepLabels.zh).sort()).toEqual(stepKeys);
  });

  it.each(stepKeys)('%s is labelled in English and in Chinese', (step) => {
    const en = stepLabels.en[step]!;
    const zh = stepLabels.zh[step]!;
    expect(en.trim().length).toBeGreaterThan(0);
    expect(zh).toMatch(han);
    expect(en).not.toMatch(han);
    expect(zh).not.toBe(en);
    expect(stepLabel('en', 'grant', step)).toBe(en);
    expect(stepLabel('zh', 'grant', step)).toBe(zh);
  });

  it("labels revoke's pod restart in both languages, apart from grant's", () => {
    const en = stepLabel('en', 'revoke', 'recreatePods');
    const zh = stepLabel('zh', 'revoke', 'recreatePods');
    expect(zh).toMatch(han);
    expect(en).not.toMatch(han);
    expect(en).not.toBe(stepLabels.en.recreatePods);
    expect(zh).not.toBe(stepLabels.zh.recreatePods);
  });
});

describe('help text in English and Chinese', () => {
  it('has an entry for every command in both languages', () => {
    for (const locale of ['en', 'zh'] as const) {
      expect(Object.keys(helpReference[locale].entries).sort()).toEqual([...verbs].sort());
    }
  });

  it.each([...verbs])(
    'help for %s exists in both languages and reads the same whichever word names it',
    (verb) => {
      const en = helpText('en', verb);
      const zh = helpText('zh', verb);
      expect(en.trim().length).toBeGreaterThan(0);
      expect(zh).toMatch(han);
      expect(en).not.toMatch(han);
      expect(zh).not.toBe(en);
      // A topic-specific text, not the whole reference.
      expect(en).not.toBe(helpText('en'));
      expect(zh).not.toBe(helpText('zh'));
      // The topic may be named in either language: the reply's language is the one asked for.
      for (const word of [...verbWords[verb].en, ...verbWords[verb].zh]) {
        expect(helpText('en', word)).toBe(en);
        expect(helpText('zh', word)).toBe(zh);
      }
    },
  );

  it('gives the whole reference in both languages, one line per command', () => {
    const en = helpText('en');
    const zh = helpText('zh');
    expect(zh).not.toBe(en);
    expect(zh).toMatch(han);
    for (const verb of verbs) {
      expect(en).toContain(helpReference.en.entries[verb].usage);
      expect(zh).toContain(helpReference.zh.entries[verb].usage);
    }
  });
});
