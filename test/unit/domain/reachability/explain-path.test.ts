import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../src/commands/parse-command.ts';
import type { Endpoint } from '../../../../src/domain/reachability/endpoint.ts';
import { explainPath } from '../../../../src/domain/reachability/explain-path.ts';
import { renderChange } from '../../../../src/domain/reachability/render-change.ts';
import { smallestChange } from '../../../../src/domain/reachability/smallest-change.ts';
import { verdictOverPods } from '../../../../src/domain/reachability/verdict-over-pods.ts';
import type { Flow } from '../../../../src/domain/reachability/flow.ts';
import { group } from './rule-fixtures.ts';
import {
  clusterGroup,
  ctx,
  dbGroup,
  dbId,
  dbTarget,
  normalPod,
  podGroup,
  podId,
  superPod,
  withAcceptBeforeDrop,
} from './world.ts';

const mysql = { protocol: 'TCP', port: 3306 } as const;
const source = superPod('my-app-7c9-a', '10.0.1.5');

describe('explainPath from a pod to a database group', () => {
  const path = explainPath(source, dbTarget(), mysql);

  it("says denied at the database group's ingress, naming its DROP rule as tccli shows it", () => {
    expect(path.verdict).toBe('deny');
    expect(path.deniedAt).toBe('ingress');
    expect(path.hops[1]).toMatchObject({
      direction: 'ingress',
      verdict: 'deny',
      rule: {
        groupId: dbId,
        groupName: 'orders-db',
        direction: 'ingress',
        policyIndex: 1,
        text: 'DROP ALL ALL 0.0.0.0/0',
        tccli: { PolicyIndex: 1, Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'DROP' },
      },
    });
    expect(path.hops[1].said).toEqual({
      en: 'Ingress of sg-ordersdb (orders-db) rule #1 `DROP ALL ALL 0.0.0.0/0` decides: denied.',
      zh: 'sg-ordersdb（orders-db）的入站规则 #1 `DROP ALL ALL 0.0.0.0/0` 决定：拒绝。',
    });
  });

  it("names the pod group's egress rule that let the packet out", () => {
    expect(path.hops[0]).toMatchObject({
      direction: 'egress',
      verdict: 'allow',
      rule: { groupId: podId, policyIndex: 0, text: 'ACCEPT ALL ALL 0.0.0.0/0' },
    });
    expect(path.said.at(-1)).toEqual({
      en: 'pod my-app-7c9-a → sg-ordersdb (orders-db), TCP 3306: denied at the ingress.',
      zh: 'Pod my-app-7c9-a → sg-ordersdb（orders-db），TCP 3306：拒绝（入站）。',
    });
  });

  it('proposes the allow line that, once applied as a grant applies it, turns the answer into allowed', () => {
    const changes = smallestChange(path, source, dbTarget(), ctx);
    expect(changes).toHaveLength(1);
    expect(renderChange(changes[0]!, ctx, 'en')).toBe(
      'grant pod SG to app my-app in my-namespace allow tcp:3306 to sg-ordersdb',
    );
    expect(renderChange(changes[0]!, ctx, 'zh')).toBe(
      '授权 Pod 安全组 给 应用 my-app 在 my-namespace 允许 tcp:3306 到 sg-ordersdb',
    );
    const granted = withAcceptBeforeDrop(dbGroup(), `ACCEPT TCP 3306 ${podId}`, 'ingress');
    const after = explainPath(source, dbTarget(granted), mysql);
    expect(after.verdict).toBe('allow');
    expect(after.hops[1].rule).toMatchObject({ policyIndex: 1, text: `ACCEPT TCP 3306 ${podId}` });
  });

  it('allows a port the database group admits from the pod address by CIDR', () => {
    const inDbNet = superPod('my-app-7c9-b', '10.9.3.4');
    expect(explainPath(inDbNet, dbTarget(), mysql)).toMatchObject({
      verdict: 'allow',
      hops: [{}, { rule: { policyIndex: 0 } }],
    });
  });

  it('says unknown, naming the group, when sgops may not read the target group', () => {
    const hidden: Endpoint = {
      ...dbTarget(),
      filtering: { by: 'own', groups: [{ id: dbId, name: 'orders-db', rules: 'unreadable' }] },
    };
    const path2 = explainPath(source, hidden, mysql);
    expect(path2.verdict).toBe('unknown');
    expect(path2.hops[1].said.en).toBe(
      'sgops may not read sg-ordersdb (orders-db), whose ingress rules come next: unknown.',
    );
    expect(smallestChange(path2, source, hidden, ctx)).toEqual([]);
  });
});

describe('explainPath to an address outside the VPC', () => {
  const outside: Endpoint = {
    subject: { kind: 'address', text: '8.8.8.8' },
    address: '8.8.8.8',
    filtering: { by: 'outsideVpc' },
  };
  const https = { protocol: 'TCP', port: 443 } as const;

  it('says unknown rather than guess what filters the far end', () => {
    const path = explainPath(source, outside, https);
    expect(path.hops[0].verdict).toBe('allow');
    expect(path.hops[1]).toMatchObject({ verdict: 'unknown', cause: { by: 'outsideVpc' } });
    expect(path.hops[1].said.en).toBe(
      '8.8.8.8 is outside the VPC: sgops cannot see what filters its ingress; unknown.',
    );
    expect(path.verdict).toBe('unknown');
  });

  it('is denied all the same when the pod group egress drops it, and proposes egress to that address', () => {
    const blocked = superPod('my-app-7c9-a', '10.0.1.5', [
      podGroup(['DROP TCP 443 8.8.8.8/32', 'ACCEPT ALL ALL 0.0.0.0/0']),
    ]);
    const path = explainPath(blocked, outside, https);
    expect(path).toMatchObject({ verdict: 'deny', deniedAt: 'egress' });
    const changes = smallestChange(path, blocked, outside, ctx);
    expect(changes.map((c) => renderChange(c, ctx, 'en'))).toEqual([
      'grant pod SG to app my-app in my-namespace allow tcp:443 to 8.8.8.8/32',
    ]);
    const after = explainPath(
      superPod('my-app-7c9-a', '10.0.1.5', [
        withAcceptBeforeDrop(
          podGroup(['DROP TCP 443 8.8.8.8/32', 'ACCEPT ALL ALL 0.0.0.0/0']),
          'ACCEPT TCP 443 8.8.8.8/32',
          'egress',
        ),
      ]),
      outside,
      https,
    );
    expect(after.hops[0].verdict).toBe('allow');
  });

  it('says unknown when sgops cannot tell which groups an in-VPC address belongs to', () => {
    const stranger: Endpoint = {
      subject: { kind: 'address', text: '10.0.3.4' },
      address: '10.0.3.4',
      filtering: { by: 'unknown' },
    };
    const path = explainPath(source, stranger, https);
    expect(path.hops[1]).toMatchObject({ verdict: 'unknown', cause: { by: 'unknownGroups' } });
  });
});

describe('explainPath from pods without groups of their own', () => {
  it('evaluates a pod on a normal node with the cluster group, says why, and offers no grant line', () => {
    const onNormal = normalPod('my-app-7c9-c', '10.0.0.40');
    const path = explainPath(onNormal, dbTarget(), mysql);
    expect(path.hops[0].rule).toMatchObject({ groupId: 'sg-cluster1' });
    expect(path.said[0]!.en).toBe(
      'pod my-app-7c9-c is on normal node 10.0.0.7 (security groups apply on super nodes only), so it has no groups of its own: the cluster group sg-cluster1 (tke-worker-security-for-cls-sandbox1) filters it.',
    );
    const changes = smallestChange(path, onNormal, dbTarget(), ctx);
    expect(changes).toMatchObject([{ kind: 'superNode', pod: 'my-app-7c9-c' }]);
    expect(renderChange(changes[0]!, ctx, 'en')).toBeUndefined();
  });

  it('proposes the repair of the known grant for a pod created before its policy', () => {
    const early = normalPod('my-app-7c9-d', '10.0.1.9', 'createdBeforePolicy');
    const path = explainPath(early, dbTarget(), mysql);
    const changes = smallestChange(path, early, dbTarget(), { ...ctx, grantRequestId: 'R7K2' });
    expect(changes.map((c) => renderChange(c, ctx, 'en'))).toEqual(['repair R7K2']);
    expect(smallestChange(path, early, dbTarget(), ctx)).toMatchObject([{ kind: 'recreatePods' }]);
  });

  it('proposes the grant itself, with the allow clause, for an app no policy selects', () => {
    const bare = normalPod('my-app-7c9-e', '10.0.1.10', 'noPolicy');
    const path = explainPath(bare, dbTarget(), mysql);
    const changes = smallestChange(path, bare, dbTarget(), { ...ctx, podGroupId: undefined } as typeof ctx);
    expect(changes.map((c) => renderChange(c, ctx, 'en'))).toEqual([
      'grant pod SG to app my-app in my-namespace allow tcp:3306 to sg-ordersdb',
    ]);
  });
});

describe('explainPath between pods and over ICMP', () => {
  const webGroup = group('sg-webgrp01', 'ingress', ['ACCEPT TCP 443 10.0.0.0/16'], 'sgops-shop-web');
  const web = superPod('web-5d4-a', '10.0.2.20', [webGroup]);

  it('denies a port no rule of the target pod admits, and writes the allow into its first group', () => {
    const path = explainPath(source, web, { protocol: 'TCP', port: 8080 });
    expect(path.hops[1].cause).toEqual({ outcome: 'deny', by: 'noMatch', groupIds: ['sg-webgrp01'] });
    expect(path.hops[1].said.en).toBe(
      'No ingress rule of sg-webgrp01 matches TCP 8080 from pod my-app-7c9-a: denied (what no rule allows is denied).',
    );
    const changes = smallestChange(path, source, web, ctx);
    expect(renderChange(changes[0]!, ctx, 'en')).toBe(
      'grant pod SG to app my-app in my-namespace allow tcp:8080 to sg-webgrp01',
    );
  });

  it('allows a port the target admits from the VPC block', () => {
    expect(explainPath(source, web, { protocol: 'TCP', port: 443 }).verdict).toBe('allow');
  });

  it('follows ICMP through protocol ALL on egress and an ICMP rule on ingress', () => {
    const pingable = superPod('web-5d4-b', '10.0.2.21', [
      group('sg-webgrp01', 'ingress', ['ACCEPT ICMP ALL 10.0.0.0/16']),
    ]);
    const path = explainPath(source, pingable, { protocol: 'ICMP' });
    expect(path.verdict).toBe('allow');
    expect(path.hops[1].rule?.tccli).toEqual({
      PolicyIndex: 0,
      Protocol: 'ICMP',
      CidrBlock: '10.0.0.0/16',
      Action: 'ACCEPT',
    });
  });

  it('says by hand, naming the rule, when egress to a group is denied (a grant line cannot ask for that)', () => {
    const locked = superPod('my-app-7c9-a', '10.0.1.5', [
      podGroup([`DROP TCP 3306 ${dbId}`, 'ACCEPT ALL ALL 0.0.0.0/0']),
    ]);
    const path = explainPath(locked, dbTarget(), mysql);
    expect(path.deniedAt).toBe('egress');
    const changes = smallestChange(path, locked, dbTarget(), ctx);
    const byHand = changes.find((c) => c.kind === 'byHand');
    expect(byHand?.why[0]?.en).toBe(
      `A grant line cannot ask for egress to ${dbId}: add \`ACCEPT TCP 3306 ${dbId}\` to the egress of ${podId} ahead of its first DROP.`,
    );
    // The database group denies too: its allow line is still offered.
    expect(changes.map((c) => renderChange(c, ctx, 'en')).filter(Boolean)).toEqual([
      'grant pod SG to app my-app in my-namespace allow tcp:3306 to sg-ordersdb',
    ]);
  });

  it('says by hand when an earlier group than the pod group drops the egress', () => {
    const strict = group('sg-strict01', 'egress', ['DROP TCP 3306 0.0.0.0/0']);
    const twoGroups = superPod('my-app-7c9-a', '10.0.1.5', [strict, podGroup()]);
    const path = explainPath(
      twoGroups,
      dbTarget(withAcceptBeforeDrop(dbGroup(), `ACCEPT TCP 3306 ${podId}`, 'ingress')),
      mysql,
    );
    expect(path.hops[0].rule).toMatchObject({ groupId: 'sg-strict01', policyIndex: 0 });
    expect(smallestChange(path, twoGroups, dbTarget(), ctx)).toMatchObject([{ kind: 'byHand' }]);
  });
});

describe('verdictOverPods', () => {
  it('gives the common verdict of every pod', () => {
    expect(
      verdictOverPods([
        { pod: 'a', verdict: 'deny' },
        { pod: 'b', verdict: 'deny' },
      ]),
    ).toMatchObject({ verdict: 'deny', said: { en: 'All 2 pods: denied.' } });
  });

  it('says mixed, with each pod, when pods of one app differ', () => {
    const over = verdictOverPods([
      { pod: 'a', verdict: 'allow' },
      { pod: 'b', verdict: 'deny' },
      { pod: 'c', verdict: 'allow' },
    ]);
    expect(over.verdict).toBe('mixed');
    expect(over.pods.map((p) => p.verdict)).toEqual(['allow', 'deny', 'allow']);
    expect(over.said).toEqual({
      en: 'Mixed over 3 pods: allowed a, c; denied b.',
      zh: '3 个 Pod 结果不一：允许 a、c；拒绝 b。',
    });
  });

  it('is unknown with no pods', () => {
    expect(verdictOverPods([]).verdict).toBe('unknown');
  });

  it('turns mixed when one pod of an app sits on a normal node', () => {
    const pods = [source, normalPod('my-app-7c9-c', '10.9.0.40', 'normalNode', clusterGroup())];
    const verdicts = pods.map((p) => ({
      pod: p.subject.kind === 'pod' ? p.subject.name : '?',
      verdict: explainPath(p, dbTarget(), mysql).verdict,
    }));
    // The normal-node pod sits in 10.9.0.0/16, which the database admits by address: it differs.
    expect(verdictOverPods(verdicts).verdict).toBe('mixed');
  });
});

describe('every suggested grant line parses with the product parser', () => {
  const blockedEgress = (drop: string) =>
    superPod('my-app-7c9-a', '10.0.1.5', [podGroup([drop, 'ACCEPT ALL ALL 0.0.0.0/0'])]);
  const outside = (text: string): Endpoint => ({
    subject: { kind: 'address', text },
    address: text,
    filtering: { by: 'outsideVpc' },
  });
  const closedDb = dbTarget(dbGroup(['DROP ALL ALL 0.0.0.0/0']));
  const scenarios: { name: string; from: Endpoint; to: Endpoint; flow: Flow; lines: number }[] = [
    { name: 'ingress into a group', from: source, to: dbTarget(), flow: mysql, lines: 1 },
    { name: 'ICMP into a group', from: source, to: closedDb, flow: { protocol: 'ICMP' }, lines: 1 },
    { name: 'UDP into a group', from: source, to: closedDb, flow: { protocol: 'UDP', port: 5353 }, lines: 1 },
    {
      name: 'egress to an address',
      from: blockedEgress('DROP TCP 443 8.8.8.8/32'),
      to: outside('8.8.8.8'),
      flow: { protocol: 'TCP', port: 443 },
      lines: 1,
    },
    {
      name: 'egress to a block',
      from: blockedEgress('DROP ALL ALL 0.0.0.0/0'),
      to: outside('203.0.113.0/24'),
      flow: { protocol: 'UDP', port: 514 },
      lines: 1,
    },
    {
      name: 'egress and ingress at once',
      from: blockedEgress('DROP ALL ALL 0.0.0.0/0'),
      to: superPod('web-5d4-a', '10.0.2.20', [group('sg-webgrp01', 'ingress', [])]),
      flow: { protocol: 'TCP', port: 8080 },
      lines: 1,
    },
    {
      name: 'the plain grant, with an allow',
      from: normalPod('my-app-7c9-e', '10.0.1.10', 'noPolicy'),
      to: dbTarget(),
      flow: mysql,
      lines: 1,
    },
  ];
  const contexts = [
    ctx,
    { ...ctx, clusterId: 'cls-sandbox1' },
    { ...ctx, target: { kind: 'serviceAccount' as const, serviceAccount: 'builder' } },
  ];

  it.each(scenarios)(
    'parses back, in both languages, to the grant it means: $name',
    ({ from, to, flow, lines }) => {
      const path = explainPath(from, to, flow);
      expect(path.verdict).toBe('deny');
      for (const context of contexts) {
        const changes = smallestChange(path, from, to, context).filter((c) => c.kind === 'grant');
        expect(changes).toHaveLength(lines);
        for (const change of changes) {
          for (const locale of ['en', 'zh'] as const) {
            const line = renderChange(change, context, locale)!;
            const parsed = parseCommand(line);
            expect(parsed, line).toMatchObject({ ok: true, locale });
            if (!parsed.ok) continue;
            expect(parsed.command, line).toEqual({
              kind: 'grant',
              target: context.target,
              namespace: 'my-namespace',
              ...('clusterId' in context ? { clusterId: context.clusterId } : {}),
              ...(change.allow.length === 0 ? {} : { allow: change.allow }),
            });
          }
        }
      }
    },
  );

  it('writes both clauses into one line when egress and ingress both deny', () => {
    const from = blockedEgress('DROP ALL ALL 0.0.0.0/0');
    const to = superPod('web-5d4-a', '10.0.2.20', [group('sg-webgrp01', 'ingress', [])]);
    const path = explainPath(from, to, { protocol: 'TCP', port: 8080 });
    expect(smallestChange(path, from, to, ctx).map((c) => renderChange(c, ctx, 'en'))).toEqual([
      'grant pod SG to app my-app in my-namespace allow tcp:8080 to 10.0.2.20/32 allow tcp:8080 to sg-webgrp01',
    ]);
  });
});
