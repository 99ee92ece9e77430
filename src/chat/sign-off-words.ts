/**
 * A request's sign-off sets in people's words, in either language, with who can sign each:
 * "approvers of my-namespace (bob, carol): 0 of 1", "owners of orders-db (group:dba — erin): 0 of 1".
 */
import type { Locale } from '../commands/command.ts';
import type { ApprovalSubject, Policy } from '../policy/create-policy.ts';
import { readSignOffKey } from '../ports/group-owners.ts';
import { signOffProgress, stillNeeded } from '../../workflows/shared/sign-off-progress.ts';
import type { SignOffProgress } from '../../workflows/shared/sign-off-progress.ts';
import type { GrantContext, GroupTouch } from '../../workflows/grant/types.ts';

/** Whose sign-off a set is, named from its key. */
export function signOffName(
  set: Pick<SignOffProgress, 'key' | 'owners'>,
  namespace: string,
  locale: Locale,
): string {
  const read = readSignOffKey(set.key);
  if (read?.kind === 'owners') {
    const what = read.match.replace(/^(id|name|tag)=/, '');
    const owners = (set.owners ?? []).join(', ');
    return locale === 'zh' ? `${what} 的所有者（${owners}）` : `owners of ${what} (${owners})`;
  }
  if (read?.kind === 'namespace')
    return locale === 'zh'
      ? `${read.clusterId} 上 ${read.namespace} 的审批人`
      : `approvers of ${read.namespace} on ${read.clusterId}`;
  return locale === 'zh' ? `${namespace} 的审批人` : `approvers of ${namespace}`;
}

/**
 * People as others know them, each with the id to address them by: "Bob (bob) or Carol (carol)",
 * "Bob（bob）或 Carol（carol）". Someone the policy does not name is shown by id alone.
 */
export function peopleNamed(ids: readonly string[], policy: Pick<Policy, 'person'>, locale: Locale): string {
  const zh = locale === 'zh';
  const named = ids.map((id) => {
    const name = policy.person(id)?.name;
    return !name || name === id ? id : zh ? `${name}（${id}）` : `${name} (${id})`;
  });
  if (named.length <= 1) return named.join('');
  const last = named.pop()!;
  return zh ? `${named.join('、')}或 ${last}` : `${named.join(', ')} or ${last}`;
}

/** Each set with who may sign it and how far it is, e.g. for "still waiting for …". */
export function signOffLines(
  sets: readonly SignOffProgress[],
  subject: ApprovalSubject,
  policy: Pick<Policy, 'signersFor' | 'person'>,
  locale: Locale,
): string[] {
  return sets.map((set) => {
    const who = policy.signersFor(set.key, subject);
    const people = who.length > 0 ? peopleNamed(who, policy, locale) : locale === 'zh' ? '无人' : 'nobody';
    const count =
      locale === 'zh' ? `${set.signed.length}/${set.quorum}` : `${set.signed.length} of ${set.quorum}`;
    return `${signOffName(set, subject.namespace, locale)} — ${people}${locale === 'zh' ? '：' : ': '}${count}`;
  });
}

/** The sets a waiting request still needs, one bulleted line each (the spec names the request's subject). */
export function stillWaitingText(
  context: Pick<GrantContext, 'spec' | 'quorum' | 'approvals' | 'outputs'>,
  policy: Pick<Policy, 'signersFor' | 'person'>,
  locale: Locale,
): string {
  return signOffBullets(stillNeeded(signOffProgress(context)), context.spec, policy, locale).join('\n');
}

/** `signOffLines`, each as a bullet. */
export function signOffBullets(
  sets: readonly SignOffProgress[],
  subject: ApprovalSubject,
  policy: Pick<Policy, 'signersFor' | 'person'>,
  locale: Locale,
): string[] {
  return signOffLines(sets, subject, policy, locale).map((line) => `- ${line}`);
}

/** What a request does to another team's group, in the reader's language. */
export function touchWords(touch: GroupTouch, locale: Locale): string {
  const zh = locale === 'zh';
  switch (touch.kind) {
    case 'attached':
      return zh ? '绑定到这些 Pod' : 'attached to the pods';
    case 'rulesWhereMissing':
      return zh
        ? `补充缺少的规则（kubelet 健康检查${touch.asked ? '、申请中的规则' : ''}）`
        : `rules added where missing (kubelet health checks${touch.asked ? ', the rules asked for' : ''})`;
    case 'ingress': {
      const ports = touch.ports.map((p) => `${p.protocol} ${p.port}`).join(', ');
      const from = touch.from ?? (zh ? 'Pod 安全组' : 'the pod group');
      return zh
        ? `入站 ${ports}，来源 ${from}，置于所有 DROP 规则之前`
        : `ingress ${ports} from ${from}, ahead of any DROP`;
    }
  }
}
