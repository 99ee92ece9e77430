/** The pod group admits everything from its own pods (pod to pod within the app). */
import type { Rule } from '../../../src/ports/cloud-network.ts';
import { ruleLabel } from './rule-label.ts';
import { fromGroup } from './rules.ts';

export const selfRule = (podGroupId: string, requestId: string): Rule =>
  fromGroup(podGroupId, 'ALL', 'ALL', `${ruleLabel(requestId)}: pods of this group`);
