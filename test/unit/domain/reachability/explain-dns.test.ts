import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../src/commands/parse-command.ts';
import { explainDns } from '../../../../src/domain/reachability/explain-dns.ts';
import { dnsChanges } from '../../../../src/domain/reachability/merge-changes.ts';
import { renderChange } from '../../../../src/domain/reachability/render-change.ts';
import { clusterGroup, clusterId, coreDns, ctx, normalPod, podGroup, podId, superPod } from './world.ts';

const pod = superPod('my-app-7c9-a', '10.0.1.5');
const servers = (group = clusterGroup()) => [
  coreDns('coredns-1', '10.0.0.10', group),
  coreDns('coredns-2', '10.0.0.11', group),
];
/** The seed's step 8: the cluster group's DNS rules deleted. */
const afterStep8 = clusterGroup([`ACCEPT ALL ALL ${clusterId}`]);

describe('explainDns after a grant', () => {
  const dns = explainDns(pod, servers());

  it('says name resolution works and names the two DNS rules of the cluster group', () => {
    expect(dns.verdict).toBe('allow');
    expect(dns.udp.verdict).toBe('allow');
    expect(dns.tcp.verdict).toBe('allow');
    const en = dns.said.map((w) => w.en);
    expect(en).toContain(
      `Ingress of sg-cluster1 (tke-worker-security-for-cls-sandbox1) rule #0 \`ACCEPT UDP 53 ${podId}\` decides: allowed.`,
    );
    expect(en).toContain(
      `Ingress of sg-cluster1 (tke-worker-security-for-cls-sandbox1) rule #1 \`ACCEPT TCP 53 ${podId}\` decides: allowed.`,
    );
    expect(en).toContain('UDP 53 reaches every CoreDNS pod (2).');
    expect(en.at(-1)).toBe('Name resolution from pod my-app-7c9-a works.');
    expect(dns.udp.paths.map((p) => p.hops[1].rule?.policyIndex)).toEqual([0, 0]);
  });

  it('says each sentence once for CoreDNS pods behind the same group', () => {
    const en = dns.said.map((w) => w.en);
    expect(new Set(en).size).toBe(en.length);
  });

  it('names nothing missing when both rules are there', () => {
    expect(dns.missing).toEqual([]);
  });

  it('proposes nothing when it works', () => {
    expect(dnsChanges(dns, pod, servers(), ctx)).toEqual([]);
  });
});

describe("explainDns after the seed's step 8", () => {
  const dns = explainDns(pod, servers(afterStep8));

  it('says denied and that no ingress rule of the cluster group admits the pod group', () => {
    expect(dns.verdict).toBe('deny');
    expect(dns.udp.paths[0]!.hops[1].cause).toEqual({
      outcome: 'deny',
      by: 'noMatch',
      groupIds: [clusterId],
    });
    expect(dns.said.map((w) => w.en)).toContain(
      'No ingress rule of sg-cluster1 matches UDP 53 from pod my-app-7c9-a: denied (what no rule allows is denied).',
    );
    expect(dns.said.at(-1)).toEqual({
      en: 'Name resolution from pod my-app-7c9-a fails: neither UDP nor TCP reaches every CoreDNS pod.',
      zh: 'Pod my-app-7c9-a 的域名解析失败：UDP 和 TCP 都不能到达全部 CoreDNS Pod。',
    });
  });

  it('names the two missing DNS rules of the cluster group', () => {
    expect(dns.missing).toEqual([
      {
        groupId: clusterId,
        rule: { protocol: 'UDP', port: '53', peer: { securityGroupId: podId }, action: 'ACCEPT' },
      },
      {
        groupId: clusterId,
        rule: { protocol: 'TCP', port: '53', peer: { securityGroupId: podId }, action: 'ACCEPT' },
      },
    ]);
    expect(dns.said.map((w) => w.en)).toContain(
      `Missing from the ingress of ${clusterId}: the DNS rule \`ACCEPT UDP 53 ${podId}\`.`,
    );
    expect(dns.said.map((w) => w.zh)).toContain(
      `${clusterId} 的入站规则中缺少 DNS 规则 \`ACCEPT TCP 53 ${podId}\`。`,
    );
  });

  it('proposes the repair of the grant when its id is known, once for both CoreDNS pods', () => {
    const changes = dnsChanges(dns, pod, servers(afterStep8), { ...ctx, grantRequestId: 'R7K2' });
    expect(changes).toHaveLength(1);
    expect(renderChange(changes[0]!, ctx, 'en')).toBe('repair R7K2');
    expect(renderChange(changes[0]!, ctx, 'zh')).toBe('修复 R7K2');
    expect(parseCommand('修复 R7K2')).toMatchObject({
      ok: true,
      command: { kind: 'repair', requestId: 'R7K2' },
    });
  });

  it('proposes the grant again (which adds missing DNS rules) when no id is known', () => {
    const changes = dnsChanges(dns, pod, servers(afterStep8), ctx);
    expect(changes.map((c) => renderChange(c, ctx, 'en'))).toEqual([
      'grant pod SG to app my-app in my-namespace',
    ]);
  });
});

describe('explainDns: either protocol, every CoreDNS pod', () => {
  it('works with only the TCP rule left, since TCP reaches every CoreDNS pod', () => {
    const dns = explainDns(pod, servers(clusterGroup([`ACCEPT TCP 53 ${podId}`])));
    expect(dns).toMatchObject({ verdict: 'allow', udp: { verdict: 'deny' }, tcp: { verdict: 'allow' } });
    // Still named: a real resolver asks over UDP first.
    expect(dns.missing.map((m) => m.rule.protocol)).toEqual(['UDP']);
  });

  it('fails when the pod reaches only one of two CoreDNS pods, naming the other', () => {
    const narrow = superPod('my-app-7c9-a', '10.0.1.5', [
      podGroup(['ACCEPT UDP 53 10.0.0.10/32', 'ACCEPT TCP 53 10.0.0.10/32']),
    ]);
    const dns = explainDns(narrow, servers());
    expect(dns.verdict).toBe('deny');
    expect(dns.said.map((w) => w.en)).toContain(
      'UDP 53 to pod coredns-2: denied, so not every CoreDNS pod (2) is reached.',
    );
    const changes = dnsChanges(dns, narrow, servers(), ctx);
    expect(changes.map((c) => renderChange(c, ctx, 'en'))).toEqual([
      'grant pod SG to app my-app in my-namespace allow udp:53 to 10.0.0.11/32',
    ]);
  });

  it('fails with no ready CoreDNS pod to reach', () => {
    const dns = explainDns(pod, []);
    expect(dns.verdict).toBe('deny');
    expect(dns.said.map((w) => w.en)).toContain('UDP 53: there is no ready CoreDNS pod to reach.');
  });

  it('is unknown when sgops may not read the cluster group', () => {
    const hidden = { id: clusterId, rules: 'unreadable' as const };
    expect(explainDns(pod, servers(hidden)).verdict).toBe('unknown');
  });

  it('evaluates a pod on a normal node with the cluster group at both ends, and offers no grant line', () => {
    const onNormal = normalPod('my-app-7c9-c', '10.0.0.40');
    const works = explainDns(onNormal, servers());
    // The cluster group admits itself: a normal-node pod resolves whatever the pod group's DNS rules are.
    expect(works.verdict).toBe('allow');
    const broken = clusterGroup([`ACCEPT UDP 53 ${podId}`]);
    const dns = explainDns(normalPod('my-app-7c9-c', '10.0.0.40', 'normalNode', broken), servers(broken));
    expect(dns.verdict).toBe('deny');
    expect(
      dnsChanges(dns, normalPod('my-app-7c9-c', '10.0.0.40', 'normalNode', broken), servers(broken), ctx),
    ).toMatchObject([{ kind: 'superNode' }]);
  });
});
