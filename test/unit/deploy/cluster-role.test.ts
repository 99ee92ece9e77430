import { describe, expect, it } from 'vitest';
import { apiGroupOf, clusterRequests, permission, readRepoFile, yamlDocuments } from './deploy-files.ts';
import type { Manifest } from './deploy-files.ts';

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const [role] = yamlDocuments(readRepoFile('deploy/base/cluster-role.yaml')) as (Manifest & {
  rules: PolicyRule[];
})[];

function granted(): string[] {
  const out: string[] = [];
  for (const rule of role!.rules)
    for (const group of rule.apiGroups)
      for (const resource of rule.resources)
        for (const verb of rule.verbs) out.push(permission(group, resource, verb));
  return out.sort();
}

describe('the ClusterRole', () => {
  it('grants exactly the verbs and resources of clusterActions, in their API groups, and nothing else', () => {
    const expected = clusterRequests().map((request) => {
      const [verb, resource] = request.split(' ') as [string, string];
      expect(apiGroupOf, `the API group of ${resource}`).toHaveProperty([resource]);
      return permission(apiGroupOf[resource]!, resource, verb);
    });
    expect(granted()).toEqual([...new Set(expected)].sort());
  });

  it('names each permission once and uses no wildcards', () => {
    const all = granted();
    expect(new Set(all).size).toBe(all.length);
    expect(all.some((p) => p.includes('*'))).toBe(false);
    for (const rule of role!.rules) {
      expect(rule.nonResourceURLs).toBeUndefined();
      expect(Object.keys(rule).sort()).toEqual(['apiGroups', 'resources', 'verbs']);
    }
  });

  it('includes the watch on workloads that recreatePods waits with, and the writes a grant makes', () => {
    const all = granted();
    expect(all).toContain(permission('apps', 'deployments', 'watch'));
    expect(all).toContain(permission('apps', 'deployments', 'patch'));
    expect(all).toContain(
      permission('vpcresources.tke.cloud.tencent.com', 'securitygrouppolicies', 'create'),
    );
    expect(all).not.toContain(permission('', 'pods', 'delete'));
    expect(all).not.toContain(permission('', 'secrets', 'get'));
  });
});
