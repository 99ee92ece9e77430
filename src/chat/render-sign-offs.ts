/**
 * What an approver must see whatever the size of the plan: the line as asked, every group of
 * another team the request attaches or writes into with whose sign-off it needs, and where each
 * sign-off stands. Cards put these first and never cut them.
 */
import type { Locale } from '../commands/command.ts';
import type { Policy } from '../policy/create-policy.ts';
import { signOffProgress } from '../../workflows/shared/sign-off-progress.ts';
import type { GrantContext, SignOff } from '../../workflows/grant/types.ts';
import { signOffBullets, signOffName, touchWords } from './sign-off-words.ts';

export function renderApprovalEssentials(
  context: GrantContext,
  policy: Pick<Policy, 'signersFor' | 'person'>,
  locale: Locale,
): string {
  const zh = locale === 'zh';
  const lines: string[] = [];
  if (context.spec.commandLine) lines.push(`${zh ? '申请：' : 'Asked: '}\`${context.spec.commandLine}\``);
  const groups = context.spec.groups;
  if (groups?.kind === 'existing') {
    lines.push(
      zh
        ? `Pod 将使用已有安全组：${groups.ids.join(', ')}`
        : `The pods get the existing groups: ${groups.ids.join(', ')}`,
    );
  }
  lines.push(...signOffsNeeded(context, policy, locale));
  return lines.join('\n');
}

/** The context a request's sign-offs are read from: whose request, where, and the plan's sign-off sets. */
type SignOffSubject = Pick<GrantContext, 'quorum' | 'approvals'> & {
  spec: Pick<GrantContext['spec'], 'requester' | 'namespace' | 'clusterId'>;
  outputs: { planning?: { signoffs?: Pick<SignOff, 'key' | 'quorum' | 'owners' | 'groups'>[] } };
};

/**
 * Who must approve, for any workflow that waits for people (a grant, a repair): each other team's
 * group it writes into with whose sign-off that needs, then every sign-off set with who may sign
 * it and how many sign-offs it needs.
 */
export function signOffsNeeded(
  context: SignOffSubject,
  policy: Pick<Policy, 'signersFor' | 'person'>,
  locale: Locale,
): string[] {
  // The spec names whose request it is, and where.
  const subject = context.spec;
  const zh = locale === 'zh';
  const lines: string[] = [];
  for (const set of context.outputs.planning?.signoffs ?? []) {
    const owner = signOffName(set, subject.namespace, locale);
    for (const group of set.groups) {
      lines.push(
        zh
          ? `其他团队的安全组 ${group.name}（${group.id}）：${group.touches.map((t) => touchWords(t, locale)).join('；')}——需 ${owner} 签字`
          : `Another team's group ${group.name} (${group.id}): ${group.touches.map((t) => touchWords(t, locale)).join('; ')} — needs ${owner}`,
      );
    }
  }
  lines.push(zh ? '需要的批准：' : 'Sign-offs needed:');
  lines.push(...signOffBullets(signOffProgress(context), subject, policy, locale));
  return lines;
}
