/**
 * One language per person: every message the bot sends in a full day of grants — plans, approval
 * cards, steps, results, the fix for pods on a normal node, drift found and repaired, a rollback,
 * a revoke, a failed plan, status answers, mistakes — is read by alice and bob in English and by
 * carol in 中文, and none
 * carries sentences of the other language. The same holds for what the console and `--json` show
 * of a request's recorded plan and verdicts in each language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import type { Locale } from '../../src/domain/locale.ts';
import { planIn, verdictIn } from '../../src/chat/plan-in.ts';
import { errorIn } from '../../src/chat/error-in.ts';
import type { Plan, PodVerdict } from '../../workflows/grant/types.ts';
import { otherLanguageIn } from '../helpers/other-language.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import { sreApprovedPolicy } from '../helpers/chat-people.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const readers: Record<string, Locale> = { alice: 'en', bob: 'en', carol: 'zh' };

describe('one language per person', () => {
  let world: TestWorld;
  const seen: ConsoleMessage[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    world = await startTestWorld('one-language', {
      // alice and bob read English by their setting, carol 中文: each whatever words they type.
      policy: sreApprovedPolicy(
        samplePolicy.people.map((p) =>
          p.id === 'alice' || p.id === 'bob' ? { ...p, locale: 'en' as const } : p,
        ),
        ['alice', 'carol'],
      ),
    });
    world.app.console.subscribe((m) => seen.push(m));
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** Opens a request as `person` and returns its id once its plan is out. */
  const open = async (person: string, line: string) => {
    const opened = await world.say(person, line);
    const id = opened.requestId!;
    expect(id, `${person}: ${line} → ${opened.text}`).toBeTruthy();
    requests.push(id);
    return id;
  };
  const settled = (id: string) =>
    stateBecomes(world, id, ['done', 'needsAttention', 'failed', 'rolledBack', 'active'], 60_000);

  it('speaks English to alice and bob and 中文 to carol through grants, a rollback, a revoke and mistakes', async () => {
    // alice asks, carol approves in 中文: done.
    const first = await open('alice', 'grant pod SG to app my-app in my-namespace');
    await stateBecomes(world, first, ['awaitingApproval']);
    await world.say('carol', `批准 ${first}`);
    expect(await settled(first)).toBe('done');

    // carol asks again (in English words) and bob approves: nothing changed.
    const again = await open('carol', 'grant pod SG to app my-app in my-namespace');
    await stateBecomes(world, again, ['awaitingApproval']);
    await world.say('bob', `approve ${again}`);
    expect(await settled(again)).toBe('done');

    // The seed's step 8 by hand: the drift is told to all three, and carol repairs it, bob approving.
    const dns = (
      await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: 'sg-sandbox1' })
    ).SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '53');
    await world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: { Ingress: dns.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
    });
    expect(await world.app.driftWatch.sweep()).toMatchObject({ told: 1 });
    const repair = await open('carol', `修复 ${again}`);
    await stateBecomes(world, repair, ['awaitingApproval']);
    await world.say('bob', `approve ${repair}`);
    expect(await stateBecomes(world, repair, ['done', 'failed'], 60_000)).toBe('done');
    expect(await world.app.driftWatch.sweep()).toMatchObject({ told: 1 });

    // carol asks for the app on a normal node: it needs attention, and she rolls it back.
    const legacy = await open('carol', '授权 Pod 安全组 给 应用 legacy-app 在 my-namespace');
    await stateBecomes(world, legacy, ['awaitingApproval']);
    await world.say('bob', `approve ${legacy}`);
    expect(await settled(legacy)).toBe('needsAttention');
    await world.say('carol', `rollback ${legacy}`);
    expect(await stateBecomes(world, legacy, ['rolledBack', 'failed'], 60_000)).toBe('rolledBack');

    // A plan that fails: a group in `using` that does not exist, for each of them.
    for (const person of ['alice', 'carol']) {
      const failing = await open(person, 'grant pod SG to app my-app in my-namespace using sg-0000dead');
      expect(await stateBecomes(world, failing, ['failed'], 30_000)).toBe('failed');
    }

    // Questions and mistakes, in either language's words.
    for (const person of ['alice', 'carol']) {
      for (const line of [
        `status request ${first}`,
        'status app my-app in my-namespace',
        'status policies in my-namespace',
        'requests',
        `audit ${first}`,
        'help grant',
        'grant pod SG to app my-ap in my-namespace',
        'grnt pod SG to app my-app',
        '授与 Pod 安全组',
        `approve ${first}`,
        `rollback ${first}`,
        'explain app my-app in my-namespace dns',
        'explain app my-app in my-namespace to sg-ordersdb tcp:3306',
        'explain app my-app in my-namespace to sg-ordersdb',
      ])
        await world.say(person, line);
    }

    // carol revokes: the grant's end and the revoke's steps reach both of them.
    const revoke = await open('carol', '撤销 Pod 安全组 从 应用 my-app 在 my-namespace');
    expect(await stateBecomes(world, revoke, ['done', 'failed'], 60_000)).toBe('done');

    const mixed = seen
      .filter((m) => m.conversationId in readers)
      .flatMap((m) => {
        const found = otherLanguageIn(m.text, readers[m.conversationId]!);
        return found.length > 0 ? [`to ${m.conversationId} [${m.kind}]: ${found.join(', ')}\n${m.text}`] : [];
      });
    expect(mixed).toEqual([]);
    // Every kind of message reached a reader of each language, so none was checked in one alone.
    const kindsFor = (locale: Locale) =>
      new Set(
        seen
          .filter((m) => readers[m.conversationId] === locale)
          .map((m) => `${m.kind} ${m.kind === 'result' || m.kind === 'error' ? (m.state ?? '') : ''}`.trim()),
      );
    for (const locale of ['en', 'zh'] as const) {
      const kinds = kindsFor(locale);
      for (const kind of [
        'plan',
        'progress',
        'result done',
        'result needsAttention',
        'result rolledBack',
        'error failed',
      ])
        expect([...kinds], `${locale} readers got no ${kind}`).toContain(kind);
    }
    expect(kindsFor('zh').has('approval') || kindsFor('en').has('approval')).toBe(true);
    for (const m of seen) {
      expect(m.text).not.toContain('undefined');
      expect(m.text).not.toContain('[object Object]');
    }
  }, 240_000);

  it('shows each recorded plan, verdict and error in the reader’s language alone', async () => {
    let plans = 0;
    for (const id of requests) {
      const view = await world.app.engine.read(id);
      const context = view!.context as {
        outputs: { planning?: Plan; verifying?: { pods: PodVerdict[] } };
        error?: Parameters<typeof errorIn>[0] | null;
      };
      for (const locale of ['en', 'zh'] as const) {
        const texts: string[] = [];
        const plan = context.outputs.planning;
        if (plan) {
          const read = planIn(plan, locale);
          texts.push(...read.changes.map((c) => c.summary as string), ...(read.warnings as string[]));
        }
        for (const p of context.outputs.verifying?.pods ?? []) texts.push(verdictIn(p, locale).reason ?? '');
        if (context.error) texts.push(Object.values(errorIn(context.error, locale)).join('\n'));
        for (const text of texts)
          expect(otherLanguageIn(text, locale), `${id} ${locale}: ${text}`).toEqual([]);
        if (plan) plans += 1;
      }
    }
    expect(plans).toBeGreaterThan(6);
  });
});
