/**
 * Room in the account's quotas, checked while planning so that a grant never stops halfway for
 * want of a group or a rule: one more group (unless one is reused or `using` names existing
 * ones), and the DNS rules in the cluster group.
 */
import { AppError } from '../../../src/errors.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { tccliLine } from '../../shared/rules/tccli-lines.ts';

export async function checkQuotas(
  ports: StepPorts,
  input: {
    clusterGroupId: string;
    needsNewGroup: boolean;
    region: string;
    /** TCP and UDP 53 per group the pods get: 2, or 2 per group named in `using`. */
    dnsRuleCount?: number;
  },
): Promise<void> {
  const [{ limits }, { ruleSet }, { totalCount: groupCount }] = await Promise.all([
    ports.cloud.describeSecurityGroupLimits(),
    ports.cloud.describeSecurityGroupPolicies(input.clusterGroupId),
    ports.cloud.describeSecurityGroups({ limit: 1 }),
  ]);
  const problems: string[] = [];
  if (input.needsNewGroup && groupCount >= limits.groupLimit) {
    problems.push(`the region already has ${groupCount} of its ${limits.groupLimit} security groups`);
  }
  const dnsRules = input.dnsRuleCount ?? 2;
  if (ruleSet.ingress.length + dnsRules > limits.rulesPerGroupLimit) {
    problems.push(
      `the cluster group ${input.clusterGroupId} has ${ruleSet.ingress.length} of ${limits.rulesPerGroupLimit} ingress rules, no room for ${dnsRules} DNS rules`,
    );
  }
  if (problems.length > 0) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Not enough quota in ${input.region}: ${problems.join('; ')}.`,
      {
        hint: `Delete unused security groups or rules (${tccliLine(input.region, 'vpc', 'DescribeSecurityGroupLimits', {})} shows the quotas), or ask Tencent Cloud support to raise them.`,
        details: { problems, limits },
      },
    );
  }
}
