/**
 * The narrow port over Tencent Cloud VPC and TKE. One method is one API call, so the audit
 * decorator can record each call exactly once, with the cloud's RequestId from the result.
 */
export type Protocol = 'TCP' | 'UDP' | 'ICMP' | 'ICMPV6' | 'GRE' | 'ALL';
export type RuleAction = 'ACCEPT' | 'DROP';
export type Direction = 'ingress' | 'egress';

/** Exactly one peer, always written explicitly (sgops never relies on "no peer means anywhere"). */
export type RulePeer = { cidr: string } | { securityGroupId: string };

export interface Rule {
  protocol: Protocol;
  /** "ALL", "53", "80,443" or "8000-8010"; "ALL" whenever protocol is ALL/ICMP/GRE. */
  port: string;
  peer: RulePeer;
  action: RuleAction;
  description?: string;
}

export interface IndexedRule extends Rule {
  /** 0-based position; shifts after every change to the direction. */
  index: number;
}

export interface RuleSet {
  /** Grows with every write; writes may pass it to detect a concurrent writer. */
  version: string;
  ingress: IndexedRule[];
  egress: IndexedRule[];
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  projectId: string;
  tags: Record<string, string>;
  createdTime: string;
}

export interface ClusterInfo {
  id: string;
  name: string;
  /** e.g. "1.24.4" */
  version: string;
  status: string;
  vpcId: string;
  isDualStack: boolean;
}

export interface AddonInfo {
  name: string;
  version: string;
  /** Installing, Upgrading, Terminating, Succeeded, InstallFailed, UpgradFailed (sic) */
  phase: string;
  reason: string;
}

export interface VirtualNodeInfo {
  name: string;
  subnetId: string;
  phase: string;
}

export interface Called {
  /** The cloud's RequestId, kept in the audit trail. */
  requestId: string;
}

export type SecurityGroupQuery =
  { ids: string[] } | { name?: string; tags?: Record<string, string>; offset?: number; limit?: number };

export interface CloudNetwork {
  describeClusters(clusterIds: string[]): Promise<Called & { clusters: ClusterInfo[] }>;
  /** An add-on that is not installed yields an empty list (the adapter absorbs ResourceNotFound). */
  describeAddon(clusterId: string, addonName: string): Promise<Called & { addons: AddonInfo[] }>;
  describeClusterVirtualNodes(clusterId: string): Promise<Called & { nodes: VirtualNodeInfo[] }>;

  describeSecurityGroups(
    query: SecurityGroupQuery,
  ): Promise<Called & { groups: SecurityGroup[]; totalCount: number }>;
  createSecurityGroup(input: {
    name: string;
    description: string;
    tags: Record<string, string>;
  }): Promise<Called & { group: SecurityGroup }>;
  deleteSecurityGroup(securityGroupId: string): Promise<Called>;

  describeSecurityGroupPolicies(securityGroupId: string): Promise<Called & { ruleSet: RuleSet }>;
  /**
   * Adds rules to one direction in one call. With `index` all rules are inserted there
   * (in order); without it they are appended. A stale `version` fails with CLOUD_VERSION_MISMATCH.
   */
  createSecurityGroupPolicies(input: {
    securityGroupId: string;
    direction: Direction;
    rules: Rule[];
    index?: number;
    version?: string;
  }): Promise<Called>;
  /** Which other groups' rules reference each group (a group still referenced cannot be deleted). */
  describeSecurityGroupReferences(
    securityGroupIds: string[],
  ): Promise<Called & { references: { securityGroupId: string; referredBy: string[] }[] }>;
  /** The account's quotas in this region: groups, and rules per group (usage comes from describeSecurityGroups' totalCount). */
  describeSecurityGroupLimits(): Promise<
    Called & { limits: { groupLimit: number; rulesPerGroupLimit: number } }
  >;
  /** Deletes rules of one direction matched by content. */
  deleteSecurityGroupPolicies(input: {
    securityGroupId: string;
    direction: Direction;
    rules: Rule[];
    version?: string;
  }): Promise<Called>;
}

/** The Tencent Cloud action behind each port method: the audit trail's `action`. */
export const cloudActions: Record<keyof CloudNetwork, string> = {
  describeClusters: 'DescribeClusters',
  describeAddon: 'DescribeAddon',
  describeClusterVirtualNodes: 'DescribeClusterVirtualNode',
  describeSecurityGroups: 'DescribeSecurityGroups',
  createSecurityGroup: 'CreateSecurityGroup',
  deleteSecurityGroup: 'DeleteSecurityGroup',
  describeSecurityGroupPolicies: 'DescribeSecurityGroupPolicies',
  createSecurityGroupPolicies: 'CreateSecurityGroupPolicies',
  deleteSecurityGroupPolicies: 'DeleteSecurityGroupPolicies',
  describeSecurityGroupReferences: 'DescribeSecurityGroupReferences',
  describeSecurityGroupLimits: 'DescribeSecurityGroupLimits',
};

/** Actions that change the cloud; used for write counts and the plan. */
export const cloudWriteActions = new Set([
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'CreateSecurityGroupPolicies',
  'DeleteSecurityGroupPolicies',
]);
