/**
 * "Why can't my app reach the database?" asked in chat: after a grant, `explain app my-app dns`
 * is allowed by the two DNS rules the grant wrote; with them deleted (the seed's step 8) it is
 * denied, names the missing rule and offers `repair`; the orders database is denied at its group's
 * DROP rule, and the `allow` line offered, asked and approved, makes the answer allowed. Each answer
 * is read with a bounded number of calls, and carries its verdict as data for scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { ordersDbGroupId } from '../../adapters/tencentcloud/emulator/sandbox-cloud-seed.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

describe('explain, after a grant', () => {
  let world: TestWorld;
  let requestId = '';
  let podGroupId = '';

  const ask = async (person: string, line: string) => {
    const answer = await world.say(person, line);
    return answer as ConsoleMessage & { facts?: { verdict?: string; suggestions?: { line?: string }[] } };
  };
  const grant = async (line: string) => {
    const opened = await world.say('alice', line);
    const id = opened.requestId!;
    await stateBecomes(world, id, ['awaitingApproval']);
    await world.app.console.say('bob', `approve ${id}`);
    if (line.includes(ordersDbGroupId)) await world.app.console.say('erin', `approve ${id}`);
    expect(await stateBecomes(world, id, ['done', 'needsAttention', 'failed'])).toBe('done');
    return id;
  };

  beforeAll(async () => {
    world = await startTestWorld('explain-story');
    requestId = await grant('grant pod SG to app my-app in my-namespace');
    const context = (await world.app.engine.read(requestId))!.context as GrantContext;
    podGroupId = context.outputs.ensurePodSecurityGroup!.podGroupId;
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('says name resolution works, by the two DNS rules the grant wrote', async () => {
    const answer = await ask('alice', 'explain app my-app in my-namespace dns');
    expect(answer.kind).toBe('reply');
    expect(answer.facts?.verdict).toBe('allow');
    expect(answer.text).toContain('allowed');
    expect(answer.text).toMatch(new RegExp(`ACCEPT UDP 53 ${podGroupId}`));
    expect(answer.text).toMatch(new RegExp(`ACCEPT TCP 53 ${podGroupId}`));
  });

  it('says it is denied once the DNS rules are deleted, names the missing rule and offers repair', async () => {
    const { SecurityGroupPolicySet } = await world.vpc.DescribeSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
    });
    const dns = SecurityGroupPolicySet!.Ingress!.filter(
      (r) => r.Port === '53' && r.SecurityGroupId === podGroupId,
    );
    expect(dns).toHaveLength(2);
    await world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: { Ingress: dns.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
    });
    const answer = await ask('alice', 'explain app my-app in my-namespace dns');
    expect(answer.facts?.verdict).toBe('deny');
    expect(answer.text).toContain('denied');
    expect(answer.text).toContain(`ACCEPT UDP 53 ${podGroupId}`);
    expect(answer.facts?.suggestions?.map((s) => s.line)).toContain(`repair ${requestId}`);
    // In 中文 for carol, the same verdict.
    const zh = await ask('carol', `解释 应用 my-app 在 my-namespace 域名解析`);
    expect(zh.text).toContain('拒绝');
    expect(zh.text).toContain(`修复 ${requestId}`);
  });

  it('denies the orders database at its DROP rule, and the allow line it offers, granted, allows it', async () => {
    const line = `explain app my-app in my-namespace to ${ordersDbGroupId} tcp:3306`;
    const denied = await ask('alice', line);
    expect(denied.facts?.verdict).toBe('deny');
    expect(denied.text).toContain(
      `Ingress of ${ordersDbGroupId} (orders-db) rule #1 \`DROP ALL ALL 0.0.0.0/0\``,
    );
    const offered = denied.facts?.suggestions?.map((s) => s.line).find((l) => l?.startsWith('grant'));
    expect(offered).toBe(`grant pod SG to app my-app in my-namespace allow tcp:3306 to ${ordersDbGroupId}`);
    world.emulator.resetCalls();
    world.simulator.resetCalls();
    await ask('alice', line);
    // Bounded reads: one cloud call per group beside the cluster group's lookup and the names.
    const cloud = Object.values(world.emulator.calls()).reduce((a, b) => a + b, 0);
    const kube = Object.values(world.simulator.calls()).reduce((a, b) => a + b, 0);
    expect(cloud).toBeLessThanOrEqual(2 + 3);
    expect(kube).toBeLessThanOrEqual(5);
    await grant(offered!);
    const allowed = await ask('alice', line);
    expect(allowed.facts?.verdict).toBe('allow');
  });

  it('refuses a namespace the person may not see, before reading anything', async () => {
    world.simulator.resetCalls();
    const answer = await ask('erin', 'explain app my-app in my-namespace dns');
    expect(answer.kind).toBe('error');
    expect(Object.keys(world.simulator.calls())).toEqual([]);
  });

  it('asks which traffic to follow when no port is given', async () => {
    const answer = await ask('alice', `explain app my-app in my-namespace to ${ordersDbGroupId}`);
    expect(answer.kind).toBe('error');
    expect(answer.text).toContain(`explain app my-app in my-namespace to ${ordersDbGroupId} tcp:443`);
  });

  it('meets a typo’d app with the nearest app as a line to type, and a typo’d group id as no group at all', async () => {
    const typo = await ask('alice', 'explain app my-ap in my-namespace dns');
    expect(typo.kind).toBe('error');
    expect(typo.text).toContain('No running pod of app my-ap in my-namespace');
    expect(typo.text).toContain('`explain app my-app in my-namespace dns`');
    const noGroup = await ask('alice', 'explain app my-app in my-namespace to sg-0rdersdb tcp:3306');
    expect(noGroup.kind).toBe('error');
    expect(noGroup.text).toContain('There is no security group sg-0rdersdb');
    expect(noGroup.text).not.toContain('grant pod SG');
    expect(noGroup.offers).toBeUndefined();
  });
});
