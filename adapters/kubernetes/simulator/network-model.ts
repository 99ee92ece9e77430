/**
 * What the simulator needs to know about the cloud to decide whether a pod may start and whether
 * traffic between pods flows: the rules of a security group, read when needed (so rules deleted in
 * the cloud take effect on the next probe), how many groups one instance may carry, and which
 * group covers the normal nodes (and so CoreDNS and every pod without groups of its own).
 */
export interface NetworkRule {
  /** `TCP`, `UDP`, `ICMP`, `ALL`, … (upper case). */
  protocol: string;
  /** `ALL`, `53`, `80,443`, `8000-8010`. */
  port: string;
  /** The peer as an IPv4 CIDR (`0.0.0.0/0` when the rule named none) … */
  cidr?: string;
  /** … or as a security group: its members, whatever their addresses. */
  securityGroupId?: string;
  action: 'ACCEPT' | 'DROP';
}

export interface SecurityGroupRules {
  /** In priority order: the first rule that matches decides; none matching denies. */
  ingress: NetworkRule[];
  egress: NetworkRule[];
}

export interface NetworkModel {
  /** The group's rules now, or null when the group does not exist. */
  securityGroup(id: string): Promise<SecurityGroupRules | null>;
  /**
   * How many security groups one instance may carry now: DescribeSecurityGroupLimits'
   * `InstanceSecurityGroupLimit`. A super-node pod is an instance, so its annotation may name no more.
   */
  instanceSecurityGroupLimit(): Promise<number>;
  /** `tke-worker-security-for-<cluster-id>`: it covers normal nodes and every pod without groups. */
  clusterGroupId: string;
}
