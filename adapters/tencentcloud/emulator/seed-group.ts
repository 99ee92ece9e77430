import type {
  SecurityGroupPolicy,
  Tag,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';

/** A security group the emulator starts with; rules use the wire form (as DescribeSecurityGroupPolicies shows). */
export interface SeedGroup {
  /** Omit to get a generated `sg-xxxxxxxx`. */
  id?: string;
  region?: string;
  name: string;
  description?: string;
  projectId?: string;
  tags?: Tag[];
  ingress?: SecurityGroupPolicy[];
  egress?: SecurityGroupPolicy[];
}
