/**
 * Room in the account's quotas, checked while planning so that a grant never stops halfway for
 * want of a group or a rule: one more group (unless one is reused or `using` names existing
 * ones), and the DNS rules in the cluster group.
 */
import { joinWords, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { stepError } from '../../shared/step-error.ts';
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
  const problems: Words[] = [];
  if (input.needsNewGroup && groupCount >= limits.groupLimit) {
    problems.push(
      words(
        `the region already has ${groupCount} of its ${limits.groupLimit} security groups`,
        `该地域已有 ${groupCount} 个安全组，上限为 ${limits.groupLimit} 个`,
      ),
    );
  }
  const dnsRules = input.dnsRuleCount ?? 2;
  if (ruleSet.ingress.length + dnsRules > limits.rulesPerGroupLimit) {
    problems.push(
      words(
        `the cluster group ${input.clusterGroupId} has ${ruleSet.ingress.length} of ${limits.rulesPerGroupLimit} ingress rules, no room for ${dnsRules} DNS rules`,
        `集群安全组 ${input.clusterGroupId} 已有 ${ruleSet.ingress.length} 条入站规则（上限 ${limits.rulesPerGroupLimit} 条），放不下 ${dnsRules} 条 DNS 规则`,
      ),
    );
  }
  if (problems.length > 0) {
    const describe = tccliLine(input.region, 'vpc', 'DescribeSecurityGroupLimits', {});
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `Not enough quota in ${input.region}: ${joinWords(problems, '; ').en}.`,
        `${input.region} 的配额不足：${joinWords(problems, '；').zh}。`,
      ),
      {
        hint: words(
          `Delete unused security groups or rules (${describe} shows the quotas), or ask Tencent Cloud support to raise them.`,
          `请删除不用的安全组或规则（${describe} 可查看配额），或请腾讯云支持提高配额。`,
        ),
        details: { problems: problems.map((p) => p.en), limits },
      },
    );
  }
}
