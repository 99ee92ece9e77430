/** The seed's notice: the cluster group must reach the pods, or kubelet health checks fail. */
import type { Rule } from '../../../src/ports/cloud-network.ts';
import { ruleLabel } from './rule-label.ts';
import { fromGroup } from './rules.ts';

export const kubeletRule = (clusterGroupId: string, requestId: string): Rule =>
  fromGroup(
    clusterGroupId,
    'ALL',
    'ALL',
    `${ruleLabel(requestId)}: kubelet health checks from the cluster group`,
  );
