/** Renders a grant request's facts (what, plan, per-pod verdicts) as chat text. */
import { targetText } from '../domain/target-text.ts';
import type { Locale } from '../commands/command.ts';
import { saidIn } from '../domain/words.ts';
import type { GrantContext, GrantTarget, Plan, PodVerdict } from '../../workflows/grant/types.ts';

/** One phrase for any request, by its workflow: "grant pod SG to app …" or "revoke pod SG from app …". */
export function describeRequest(
  workflow: string,
  context: Pick<GrantContext, 'spec'>,
  locale: Locale,
): string {
  if (workflow === 'repair') {
    // A repair reads as the grant it puts back.
    const grantId = (context.spec as { grantRequestId?: string }).grantRequestId ?? '?';
    return locale === 'zh'
      ? `修复 ${grantId}：${describeGrant(context, locale)}`
      : `repair of ${grantId}: ${describeGrant(context, locale)}`;
  }
  if (workflow !== 'revoke') return describeGrant(context, locale);
  const { spec } = context;
  return locale === 'zh'
    ? `撤销集群 ${spec.clusterId} 命名空间 ${spec.namespace} 的${targetZh(spec.target)}的 Pod 安全组`
    : `revoke pod SG from ${targetEn(spec.target)} in ${spec.namespace} on ${spec.clusterId}`;
}

export function describeGrant(context: Pick<GrantContext, 'spec'>, locale: Locale): string {
  const { spec } = context;
  const groups = spec.groups;
  return locale === 'zh'
    ? `为集群 ${spec.clusterId} 命名空间 ${spec.namespace} 的${targetZh(spec.target)}授予 Pod 安全组${
        groups?.kind === 'existing'
          ? `（使用 ${groups.ids.join(',')}）`
          : groups?.kind === 'named'
            ? `（作为 组 ${groups.name}）`
            : ''
      }`
    : `grant pod SG to ${targetEn(spec.target)} in ${spec.namespace} on ${spec.clusterId}${
        groups?.kind === 'existing'
          ? ` using ${groups.ids.join(',')}`
          : groups?.kind === 'named'
            ? ` as group ${groups.name}`
            : ''
      }`;
}

const targetEn = (target: GrantTarget) => targetText(target, 'en');
const targetZh = (target: GrantTarget) => `${targetText(target, 'zh')} `;

export function renderPlan(plan: Plan, locale: Locale): string {
  const zh = locale === 'zh';
  const lines: string[] = [];
  lines.push(
    zh
      ? `集群 ${plan.cluster.id}（${plan.cluster.name}，Kubernetes ${plan.cluster.version}，${plan.cluster.vpcId}），集群安全组 ${plan.clusterGroupId}`
      : `Cluster ${plan.cluster.id} (${plan.cluster.name}, Kubernetes ${plan.cluster.version}, ${plan.cluster.vpcId}), cluster security group ${plan.clusterGroupId}`,
  );
  if (plan.existingGroupIds) {
    lines.push(
      zh
        ? `使用已有安全组 ${plan.existingGroupIds.join(', ')}（不创建 Pod 安全组；回滚和撤销只移除本次添加的规则）`
        : `Using the existing groups ${plan.existingGroupIds.join(', ')} (no pod group is made; rollback and revoke remove only the rules added here)`,
    );
  }
  if (plan.existingPodGroupId) {
    lines.push(
      zh
        ? `复用已有 Pod 安全组 ${plan.existingPodGroupId}`
        : `Reusing pod security group ${plan.existingPodGroupId}`,
    );
  }
  // Changes and warnings before the pods: a big app's pod list would otherwise push them off a card.
  // A re-grant's items that an earlier grant left in place are listed apart: they change nothing.
  const toMake = plan.changes.filter((c) => !c.inPlace);
  const inPlace = plan.changes.filter((c) => c.inPlace);
  if (toMake.length === 0)
    lines.push(
      zh ? '将要进行的更改：无，全部已就绪。' : 'Changes to make: none; all of it is already in place.',
    );
  else lines.push(zh ? '将要进行的更改：' : 'Changes to make:');
  toMake.forEach((c, i) => {
    lines.push(`${i + 1}. [${c.system}] ${saidIn(c.summary, locale)}`);
    lines.push(`   $ ${c.command}`);
  });
  if (inPlace.length > 0) lines.push(zh ? '已就绪，无需更改：' : 'Already in place, nothing to do:');
  for (const c of inPlace) {
    lines.push(`- [${c.system}] ${saidIn(c.summary, locale)}`);
    lines.push(`   $ ${c.command}`);
  }
  for (const w of plan.warnings) lines.push(`${zh ? '警告：' : 'Warning: '}${saidIn(w, locale)}`);
  const workloads = plan.workloads.map((w) => `${w.kind}/${w.name}`).join(', ') || (zh ? '无' : 'none');
  lines.push(zh ? `匹配的工作负载：${workloads}` : `Matched workloads: ${workloads}`);
  const pods =
    plan.pods
      .map((p) => `${p.name} @ ${p.node ?? '-'}${p.superNode ? (zh ? '（超级节点）' : ' (super node)') : ''}`)
      .join(', ') || (zh ? '无' : 'none');
  lines.push(zh ? `匹配的 Pod：${pods}` : `Matched pods: ${pods}`);
  return lines.join('\n');
}

export function renderVerdicts(pods: PodVerdict[], locale: Locale): string {
  if (pods.length === 0) return locale === 'zh' ? '- 没有匹配的 Pod' : '- no pod matches the selector';
  return pods
    .map((p) =>
      p.ok
        ? `- ${p.name} @ ${p.node}: ${p.groups.join(',')}`
        : `- ${p.name} @ ${p.node ?? '-'}: ${p.reason ? saidIn(p.reason, locale) : locale === 'zh' ? '未获得安全组' : 'no groups'}`,
    )
    .join('\n');
}
