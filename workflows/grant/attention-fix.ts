/**
 * What a grant that needs attention tells people to do: the fix for each kind of pod that lacks
 * its groups (the seed: TKE gives groups only to pods on super nodes, which a workload reaches by
 * the eklet nodeSelector and toleration), and then the next commands.
 */
import type { Locale } from '../../src/commands/command.ts';
import { replyTexts } from '../../src/chat/reply-texts.ts';
import { notSuperNodeReason } from '../../src/ports/cluster.ts';
import { saidIn } from '../../src/domain/words.ts';
import { policyGroupIds } from '../shared/groups/find-pod-group.ts';
import type { GrantContext, PodVerdict } from './types.ts';

export function attentionFix(context: GrantContext, locale: Locale): string {
  const t = replyTexts[locale];
  const { verifying, planning, ensurePodSecurityGroup } = context.outputs;
  const pods = verifying?.pods ?? [];
  const lines: string[] = [];
  if (pods.length === 0) lines.push(t.fixNoPodsYet());
  const failing = pods.filter((p) => !p.ok);
  const offSuper = failing.filter(onNormalNode);
  if (offSuper.length > 0) {
    const patches = (planning?.workloads ?? []).flatMap((w) => (w.patch ? [`\`${w.patch}\``] : []));
    const nodes = [...new Set(offSuper.map((p) => p.node ?? '-'))].join(', ');
    lines.push(
      patches.length > 0
        ? t.fixNormalNode({ nodes, patches: patches.join('\n') })
        : t.fixNormalNodeByHand({ pods: offSuper.map((p) => `${p.name} @ ${p.node ?? '-'}`).join(', ') }),
    );
  }
  const groupIds = ensurePodSecurityGroup ? policyGroupIds(ensurePodSecurityGroup) : [];
  const lacking = failing.filter(
    (p) => p.superNode === true && !groupIds.every((id) => p.groups.includes(id)),
  );
  if (lacking.length > 0) lines.push(t.fixRecreate());
  lines.push(t.attentionNext({ id: context.spec.requestId }));
  return lines.join('\n');
}

/** Verdicts recorded before `superNode` was kept say it in the event text. */
const onNormalNode = (p: PodVerdict) =>
  p.superNode === false ||
  (p.superNode === undefined && saidIn(p.reason ?? '', 'en').startsWith(notSuperNodeReason));
