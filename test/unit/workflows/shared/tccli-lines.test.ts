import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../src/ports/cloud-network.ts';
import { dnsRules } from '../../../../workflows/shared/rules/dns-rules.ts';
import { fromGroup } from '../../../../workflows/shared/rules/rules.ts';
import {
  podGroupPlaceholder,
  tccliCreateGroup,
  tccliCreateRules,
  tccliDeleteGroup,
  tccliDeleteRules,
  tccliDescribeRules,
  tccliLine,
} from '../../../../workflows/shared/rules/tccli-lines.ts';
import { shellCommands } from '../../../helpers/shell-words.ts';
import { tccliLineProblems } from '../../../helpers/tccli-line-problems.ts';

const region = 'ap-guangzhou';
/** What a person has set POD_SG to, from the create line's output, when they run the lines after it. */
const env = { POD_SG: 'sg-pod00001' };
const egress: Rule = {
  protocol: 'TCP',
  port: '443',
  peer: { cidr: '0.0.0.0/0' },
  action: 'ACCEPT',
  description: 'sgops R1: allow tcp:443 to',
};
const v6: Rule = { protocol: 'UDP', port: '8000-8010', peer: { cidr: '2001:db8::/32' }, action: 'ACCEPT' };

/** The JSON tccli sends for `--name` in `line`: the word after it, as the shell reads it. */
const jsonOf = (line: string, name: string) => {
  const words = shellCommands(line, env)[0]!;
  return JSON.parse(words[words.indexOf(`--${name}`) + 1]!) as unknown;
};

describe('the tccli lines a plan prints', () => {
  it('create the pod group with its tags as JSON, the description quoted for the shell', () => {
    const line = tccliCreateGroup(region, {
      name: 'sgops-my-namespace-sa:api',
      description: "sgops: pods of serviceaccount api in bob's namespace",
      tags: { 'sgops/managed': 'true', 'sgops/app': 'my-app' },
    });
    expect(tccliLineProblems(line, env)).toEqual([]);
    expect(line).toContain('--region ap-guangzhou');
    expect(shellCommands(line, env)[0]).toContain("sgops: pods of serviceaccount api in bob's namespace");
    expect(jsonOf(line, 'Tags')).toEqual([
      { Key: 'sgops/managed', Value: 'true' },
      { Key: 'sgops/app', Value: 'my-app' },
    ]);
  });

  it('add the DNS rules into the cluster group from the group still to be made, which the shell fills in', () => {
    const line = tccliCreateRules(region, 'sg-cluster1', 'ingress', dnsRules(podGroupPlaceholder, 'R1'));
    expect(tccliLineProblems(line, env)).toEqual([]);
    expect(jsonOf(line, 'SecurityGroupPolicySet')).toEqual({
      Ingress: [
        { Protocol: 'UDP', Port: '53', SecurityGroupId: 'sg-pod00001', Action: 'ACCEPT', PolicyDescription: 'sgops R1: DNS from pods' },
        { Protocol: 'TCP', Port: '53', SecurityGroupId: 'sg-pod00001', Action: 'ACCEPT', PolicyDescription: 'sgops R1: DNS from pods' },
      ],
    }); // prettier-ignore
  });

  it('write the pod group rules, egress and IPv6 peers included, into the group the shell names', () => {
    for (const line of [
      tccliCreateRules(region, podGroupPlaceholder, 'ingress', [
        fromGroup(podGroupPlaceholder, 'ALL', 'ALL', ''),
        fromGroup('sg-cluster1', 'ALL', 'ALL', 'sgops R1: kubelet health checks from the cluster group'),
        v6,
      ]),
      tccliCreateRules(region, podGroupPlaceholder, 'egress', [egress]),
    ])
      expect(tccliLineProblems(line, env)).toEqual([]);
    const words = shellCommands(tccliCreateRules(region, podGroupPlaceholder, 'egress', [egress]), env)[0]!;
    expect(words[words.indexOf('--SecurityGroupId') + 1]).toBe('sg-pod00001');
  });

  it('add DNS for as many `using` groups as asked, past the ten list items --cli-unfold-argument would take', () => {
    const groups = Array.from({ length: 12 }, (_, i) => `sg-team${String(i).padStart(4, '0')}`);
    const line = tccliCreateRules(
      region,
      'sg-cluster1',
      'ingress',
      groups.flatMap((g) => dnsRules(g, 'R1')),
    );
    expect(tccliLineProblems(line, env)).toEqual([]);
    expect((jsonOf(line, 'SecurityGroupPolicySet') as { Ingress: unknown[] }).Ingress).toHaveLength(24);
  });

  it('open an `allow … to` group to the pod group', () => {
    const line = tccliCreateRules(region, 'sg-ordersdb', 'ingress', [
      { protocol: 'TCP', port: '3306', peer: { securityGroupId: podGroupPlaceholder }, action: 'ACCEPT' },
    ]);
    expect(tccliLineProblems(line, env)).toEqual([]);
  });

  it('take rules away by content, leaving out the description the cloud does not match on', () => {
    const line = tccliDeleteRules(region, 'sg-cluster1', 'ingress', dnsRules('sg-pod00001', 'R1'));
    expect(tccliLineProblems(line, env)).toEqual([]);
    expect(jsonOf(line, 'SecurityGroupPolicySet')).toEqual({
      Ingress: [
        { Protocol: 'UDP', Port: '53', SecurityGroupId: 'sg-pod00001', Action: 'ACCEPT' },
        { Protocol: 'TCP', Port: '53', SecurityGroupId: 'sg-pod00001', Action: 'ACCEPT' },
      ],
    });
    expect(tccliLineProblems(tccliDeleteRules(region, 'sg-pod00001', 'egress', [egress]), env)).toEqual([]);
  });

  it('delete the pod group after listing what refers to it, and read a group, each command with the region', () => {
    const line = tccliDeleteGroup(region, 'sg-pod00001');
    expect(tccliLineProblems(line, env)).toEqual([]);
    expect(shellCommands(line, env).map((words) => words.slice(0, 5))).toEqual([
      ['tccli', 'vpc', 'DescribeSecurityGroupReferences', '--region', region],
      ['tccli', 'vpc', 'DeleteSecurityGroup', '--region', region],
    ]);
    expect(tccliLineProblems(tccliDescribeRules(region, 'sg-cluster1'), env)).toEqual([]);
  });

  it('in hints, look groups up by name and clusters by id', () => {
    const byName = tccliLine(region, 'vpc', 'DescribeSecurityGroups', {
      Filters: [{ Name: 'security-group-name', Values: ['tke-worker-security-for-cls-abc'] }],
    });
    expect(tccliLineProblems(byName)).toEqual([]);
    expect(
      tccliLineProblems(tccliLine(region, 'tke', 'DescribeClusters', { ClusterIds: ['cls-abc'] })),
    ).toEqual([]);
    expect(tccliLineProblems(tccliLine(region, 'vpc', 'DescribeSecurityGroupLimits', {}))).toEqual([]);
  });
});

describe("checking a line against tccli's documented arguments", () => {
  it('reads each line into the very words sh hands to tccli', () => {
    // A stand-in tccli on PATH that prints its arguments, NUL-separated, one command a line.
    const bin = mkdtempSync(join(tmpdir(), 'sgops-tccli-'));
    writeFileSync(join(bin, 'tccli'), '#!/bin/sh\nprintf \'%s\\0\' tccli "$@"; echo\n', { mode: 0o755 });
    const lines = [
      tccliCreateGroup(region, { name: 'g', description: 'it\'s "quoted" $HOME `x`', tags: { a: 'b c' } }),
      tccliCreateRules(region, podGroupPlaceholder, 'ingress', dnsRules(podGroupPlaceholder, 'R1')),
      tccliDeleteGroup(region, 'sg-pod00001'),
    ];
    try {
      for (const line of lines) {
        const printed = execFileSync('sh', ['-c', line], { env: { PATH: `${bin}:/usr/bin:/bin`, ...env } });
        const bySh = printed
          .toString()
          .trimEnd()
          .split('\n')
          .map((c) => c.split('\0').slice(0, -1));
        expect(shellCommands(line, env)).toEqual(bySh);
      }
    } finally {
      rmSync(bin, { recursive: true });
    }
  });

  it('refuses the lines issue 17 found: dotted names without --cli-unfold-argument, and no --region', () => {
    expect(
      tccliLineProblems(
        'tccli vpc CreateSecurityGroup --GroupName g --GroupDescription "d" --Tags.0.Key sgops/managed --Tags.0.Value true',
      ),
    ).toEqual([
      'CreateSecurityGroup: --Tags.0.Key is no parameter of the action',
      'CreateSecurityGroup: --Tags.0.Value is no parameter of the action',
      'CreateSecurityGroup: no --region',
    ]);
    expect(
      tccliLineProblems(
        'tccli vpc CreateSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId sg-1 --SecurityGroupPolicySet.Ingress.0.Protocol TCP',
      ),
    ).toEqual(['CreateSecurityGroupPolicies: no --region']);
  });

  it('refuses unknown actions and members, JSON of the wrong shape, and a missing required member', () => {
    expect(tccliLineProblems('tccli vpc CreateSecurityGroups --region r')).toEqual([
      'unknown action vpc CreateSecurityGroups',
    ]);
    expect(
      tccliLineProblems(
        `tccli vpc CreateSecurityGroupPolicies --region r --SecurityGroupId sg-1 --SecurityGroupPolicySet '{"Ingress":[{"Protocol":"TCP","Ports":"80"}]}'`,
      ),
    ).toEqual([
      'CreateSecurityGroupPolicies: SecurityGroupPolicySet.Ingress[0].Ports is no member of SecurityGroupPolicy',
    ]);
    expect(
      tccliLineProblems(`tccli vpc CreateSecurityGroup --region r --GroupName g --Tags '{"Key":"k"}'`),
    ).toEqual([
      'CreateSecurityGroup: Tags is not a JSON array',
      'CreateSecurityGroup: missing required --GroupDescription',
    ]);
    expect(tccliLineProblems('tccli vpc DescribeSecurityGroups --region r --SecurityGroupIds sg-1')).toEqual([
      'DescribeSecurityGroups: --SecurityGroupIds is not JSON: sg-1',
    ]);
  });

  it('under --cli-unfold-argument, refuses list indices past the default arrayCount', () => {
    expect(
      tccliLineProblems(
        'tccli vpc CreateSecurityGroup --cli-unfold-argument --region r --GroupName g --GroupDescription d --Tags.10.Key k',
      ),
    ).toEqual(["CreateSecurityGroup: --Tags.10.Key: index 10 past tccli's arrayCount"]);
  });
});
