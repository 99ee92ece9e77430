import { existsSync } from 'node:fs';
import path from 'node:path';
import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/index.js';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/index.js';
import { describe, expect, it } from 'vitest';
import { cloudActions } from '../../../src/ports/cloud-network.ts';
import { clusterRequests, readRepoFile, repoRoot, variablesLoadConfigReads } from './deploy-files.ts';

const guide = readRepoFile('docs/operator-guide.md');

/** The text of one `## ` section of the guide. */
function section(title: string): string {
  const start = guide.indexOf(`\n## ${title}\n`);
  expect(start, `section "${title}"`).toBeGreaterThan(-1);
  const end = guide.indexOf('\n## ', start + 1);
  return guide.slice(start, end === -1 ? undefined : end);
}

/** "vpc:Action" / "tke:Action", the service found from which SDK client has the action. */
function camAction(action: string): string {
  const inVpc =
    typeof (vpc.v20170312.Client.prototype as unknown as Record<string, unknown>)[action] === 'function';
  const inTke =
    typeof (tke.v20180525.Client.prototype as unknown as Record<string, unknown>)[action] === 'function';
  expect([inVpc, inTke], `${action} belongs to exactly one of vpc and tke`).toSatisfy(
    ([a, b]: boolean[]) => a !== b,
  );
  return `${inVpc ? 'vpc' : 'tke'}:${action}`;
}

describe('the operator guide', () => {
  it('lists exactly the Tencent Cloud actions sgops calls in its CAM policy', () => {
    const block = /```json\n([\s\S]*?)```/.exec(section('Tencent Cloud CAM policy'))?.[1];
    expect(block).toBeDefined();
    const policy = JSON.parse(block!) as {
      version: string;
      statement: { effect: string; action: string[]; resource: string[] }[];
    };
    expect(policy.version).toBe('2.0');
    for (const statement of policy.statement) expect(statement.effect).toBe('allow');
    const listed = policy.statement.flatMap((s) => s.action);
    expect(new Set(listed).size).toBe(listed.length);
    const expected = Object.values(cloudActions).map(camAction);
    expect([...listed].sort()).toEqual([...new Set(expected)].sort());
  });

  it('names every environment variable the configuration loader reads', () => {
    for (const variable of variablesLoadConfigReads()) expect(guide, variable).toContain(`\`${variable}\``);
  });

  it('names every Kubernetes request sgops makes in its cluster access table', () => {
    const text = section('Cluster access');
    for (const request of clusterRequests()) {
      const [verb, resource] = request.split(' ') as [string, string];
      const row = text.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${resource}\``));
      expect(row, resource).toBeDefined();
      expect(row!.split('|')[1], request).toMatch(new RegExp(`\\b${verb}\\b`));
    }
  });

  it('covers deploying, credentials, Slack, WeCom, the policy, upgrades and backups', () => {
    for (const title of [
      'Deploying',
      'Credentials',
      'Cluster access',
      'Slack',
      'WeCom (企业微信)',
      'The policy file',
      'Upgrades',
      'Backups',
    ])
      expect(section(title).length, title).toBeGreaterThan(200);
    // The three credential kinds, and what TKE workload identity needs on both sides.
    for (const needed of [
      '`assumeRole`',
      '`oidc`',
      'name/sts:AssumeRoleWithWebIdentity',
      'tke.cloud.tencent.com/role-arn',
    ])
      expect(section('Credentials'), needed).toContain(needed);
  });

  it('links only to files that exist', () => {
    const links = [...guide.matchAll(/\]\((\.\.?\/[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(path.join(repoRoot, 'docs', link)), link).toBe(true);
  });
});
