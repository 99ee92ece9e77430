/** The rules that let pods reach CoreDNS: TCP and UDP 53 from a pod group into the cluster group. */
import type { Rule } from '../../../src/ports/cloud-network.ts';
import { ruleLabel } from './rule-label.ts';
import { fromGroup } from './rules.ts';

export const dnsRules = (podGroupId: string, requestId: string): Rule[] => [
  fromGroup(podGroupId, 'UDP', '53', `${ruleLabel(requestId)}: DNS from pods`),
  fromGroup(podGroupId, 'TCP', '53', `${ruleLabel(requestId)}: DNS from pods`),
];
