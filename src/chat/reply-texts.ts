/**
 * Every sentence the bot says, in English and 中文. Keys are shared so a test can prove that
 * each reply exists in both languages.
 */
import type { Locale } from '../commands/command.ts';
import { zhState, zhWorkflow } from './state-names.ts';

type Texts = {
  unknownPerson: (p: { user: string }) => string;
  notARequester: (p: { person: string; namespace: string; cluster: string }) => string;
  /** A namespace the cluster does not have, told only to people who may see that cluster. */
  unknownNamespace: (p: { namespace: string; cluster: string }) => string;
  /** A grant's `app` that no pod and no workload in the namespace carries: nothing was opened. */
  appNotFound: (p: { app: string; namespace: string; cluster: string }) => string;
  accountNotFound: (p: { serviceAccount: string; namespace: string; cluster: string }) => string;
  /** `lines`: the nearest lines to type instead, one a line. */
  didYouMean: (p: { lines: string }) => string;
  /** No name was near: what the namespace holds; '-' for none. */
  targetsThere: (p: { namespace: string; apps: string; accounts: string }) => string;
  /** A line named a cluster sgops is not configured for; `known` lists the ones it serves. */
  unknownCluster: (p: { cluster: string; known: string }) => string;
  /** A line of the grammar that opens a request no workflow this sgops runs takes. */
  noWorkflowOpens: (p: { message: string }) => string;
  notAnApprover: (p: { person: string; id: string }) => string;
  /** `approvers`: who else can approve it, display names (peopleNamed); '' when nobody. */
  selfApproval: (p: { id: string; approvers: string }) => string;
  noSuchRequest: (p: { id: string }) => string;
  notAwaitingApproval: (p: { id: string; state: string }) => string;
  alreadyDecided: (p: { id: string }) => string;
  requestOpened: (p: { id: string; what: string }) => string;
  /** `essentials`: the line as asked, other teams' groups and the sign-offs (render-sign-offs.ts). */
  planReady: (p: { id: string; what: string; essentials: string; plan: string }) => string;
  /** An approval request's head: who asks what, and what must never be cut from a card. */
  approvalAsk: (p: { id: string; requester: string; what: string; essentials: string }) => string;
  /** Its foot, after the plan: how to decide. */
  approvalHowTo: (p: { id: string }) => string;
  /** `waiting`: the sign-off sets still short, one per line (see sign-off-words.ts). */
  approvalRecorded: (p: { id: string; by: string; waiting: string }) => string;
  /** A requester tried to deny her own request: withdrawing is `cancel`. */
  selfDenial: (p: { id: string }) => string;
  approved: (p: { id: string; by: string }) => string;
  stepStarted: (p: { id: string; step: string }) => string;
  done: (p: { id: string; what: string; pods: string }) => string;
  /** After `done`: every step found its part already in place. */
  nothingChanged: () => string;
  needsAttention: (p: { id: string; pods: string }) => string;
  /** Pods on a normal node: TKE gives groups only on super nodes; `patches` pin each workload there. */
  fixNormalNode: (p: { nodes: string; patches: string }) => string;
  /** The same, where no workload's patch is known (bare pods, or a workload pinned elsewhere). */
  fixNormalNodeByHand: (p: { pods: string }) => string;
  /** Pods on super nodes that still lack the group: created before the policy. */
  fixRecreate: () => string;
  /** No pod matches yet: the app comes after the policy. */
  fixNoPodsYet: () => string;
  /** needsAttention's foot: what to reply next. */
  attentionNext: (p: { id: string }) => string;
  /** `changedNothing`: it failed before its first write (while planning), so there is nothing to roll back. */
  failed: (p: {
    id: string;
    step: string;
    message: string;
    hint: string;
    changedNothing?: boolean;
  }) => string;
  denied: (p: { id: string; by: string; reason: string }) => string;
  expired: (p: { id: string }) => string;
  cancelled: (p: { id: string; by: string }) => string;
  rolledBack: (p: { id: string; undone: string }) => string;
  status: (p: { id: string; what: string; state: string; detail: string }) => string;
  parseError: (p: { message: string; suggestion: string }) => string;
  /** A line in the other language that could not be read: the parser's note is quoted as it said it. */
  parseErrorQuoted: (p: { message: string; suggestion: string }) => string;
  internalError: (p: { ref: string }) => string;
  /** The database stayed away for as long as the line was tried; `changed`: part of it was done. */
  databaseUnavailable: (p: { ref: string; changed: boolean }) => string;
  notSupportedYet: (p: { what: string }) => string;
  planned: (p: { id: string; what: string; plan: string }) => string;
  autoApproved: (p: { id: string }) => string;
  revokePlanned: (p: { id: string; what: string; plan: string }) => string;
  revoked: (p: { id: string; what: string; removed: string; kept: string }) => string;
  requestsList: (p: { title: string; lines: string }) => string;
  noRequests: (p: { title: string }) => string;
  requestsTitle: (p: { filter: 'mine' | 'pending' | 'all' }) => string;
  notInvolved: (p: { id: string }) => string;
  tooLateToCancel: (p: { id: string; state: string }) => string;
  cannotRetry: (p: { id: string; state: string }) => string;
  cannotRollBack: (p: { id: string; state: string }) => string;
  retrying: (p: { id: string; step: string }) => string;
  rollingBack: (p: { id: string }) => string;
  durationTooLong: (p: { requested: string; max: string }) => string;
  /** After a time-bound grant's description: ` for 8h`. */
  forDuration: (p: { duration: string }) => string;
  /** A time-bound grant in force: when it ends and how long is left. */
  expiresAt: (p: { expires: string; left: string }) => string;
  endedByExpiry: (p: { revokeId: string }) => string;
  endedByRevoke: (p: { revokeId: string; by: string }) => string;
  approvalReminder: (p: { id: string; requester: string; what: string; waited: string }) => string;
  expiryWarning: (p: { id: string; what: string; expires: string; left: string }) => string;
  grantExpired: (p: { id: string; what: string; revokeId: string }) => string;
  grantLapsed: (p: { id: string; what: string; coveredBy: string }) => string;
  endedCovered: (p: { coveredBy: string }) => string;
  appStatus: (p: {
    app: string;
    namespace: string;
    policy: string;
    pods: string;
    requests: string;
  }) => string;
  /** `status policies`: `scope` is policiesScope's phrase. */
  policiesList: (p: { scope: string; count: number; lines: string }) => string;
  noPolicies: (p: { scope: string }) => string;
  /** `namespace` '' means every namespace the person may see. */
  policiesScope: (p: { namespace: string }) => string;
  /** Read scope: `status app` or `status policies` named a namespace the person may not see. */
  namespaceNotVisible: (p: { namespace: string; cluster: string }) => string;
  noPolicyCrd: (p: { cluster: string }) => string;
  policyLine: (p: {
    policy: string;
    namespace: string;
    selector: string;
    groups: string;
    origin: string;
    onSuper: number;
    carrying: number;
    elsewhere: number;
  }) => string;
  /** A selector's parts; `selector` '' is the empty selector, which selects everything. */
  selectsPods: (p: { selector: string }) => string;
  selectsAccounts: (p: { selector: string }) => string;
  selectsNothing: () => string;
  /** `state` '' when the request is not in the store. */
  managedBySgops: (p: { id: string; state: string }) => string;
  notManagedBySgops: () => string;
  andMore: (p: { count: number }) => string;
  /** `status request`: the last re-arm's note while a step waits (a rollout still moving). */
  progressLine: (p: { progress: string }) => string;
  /** One line of `requests`; `at` is `2026-05-01 18:00` (UTC). */
  requestLine: (p: {
    id: string;
    workflow: string;
    target: string;
    namespace: string;
    cluster: string;
    state: string;
    requester: string;
    at: string;
  }) => string;
  /** One pod of `status app`; `warning` is the cluster's event text, '' for none. */
  appPodLine: (p: {
    pod: string;
    phase: string;
    ready: boolean;
    node: string;
    onSuper: boolean;
    groups: string;
    warning: string;
  }) => string;
  /** An open request of `status app`. */
  openRequest: (p: { id: string; state: string }) => string;
  /** The drift watch found a live grant no longer as approved; `notes` one a line, `since` as formatInstant. */
  driftFound: (p: { id: string; what: string; since: string; notes: string }) => string;
  /** What it found is gone: the grant matches what was approved again. */
  driftCleared: (p: { id: string; what: string }) => string;
  /** `explain … to …` without the traffic to follow. */
  explainNeedsFlow: (p: { line: string }) => string;
  /** `explain` of an app or pod with no running pod: nothing to follow. */
  explainNoPods: (p: { who: string; namespace: string; cluster: string }) => string;
  /** `explain … to sg-…` of a group that does not exist. */
  explainNoGroup: (p: { id: string; region: string; line: string }) => string;
  /** `status request`: the drift found now, as in driftFound. */
  driftLine: (p: { since: string; notes: string }) => string;
  /** `repair <id>` of a request that is not a grant. */
  repairNotAGrant: (p: { id: string; workflow: string }) => string;
  /** `repair <id>` of a grant that is not in force (`done` or `active`). */
  repairNotInForce: (p: { id: string; state: string }) => string;
  /** `repair <id>` of a grant a repair is still open for; `waiting`: it waits for approval (else it is at work). */
  repairAlreadyOpen: (p: { id: string; repairId: string; state: string; waiting: boolean }) => string;
  /** The policy approved a restore-only repair (`autoApproveRepairs`): it runs now, with this plan. */
  repairAutoApproved: (p: { id: string; what: string; grantId: string; plan: string }) => string;
  /** What a repair's approvers are asked to sign, above its plan. */
  repairEssentials: (p: { grantId: string }) => string;
  /** Planning found nothing a repair can put back; `notes`: what it leaves to people, one a line ('' for none). */
  nothingToRepair: (p: { id: string; what: string; notes: string }) => string;
  /** A repair ended `done`; `restored`: what it wrote back, '-' for nothing. */
  repaired: (p: { id: string; what: string; restored: string }) => string;
};

const en: Texts = {
  unknownPerson: ({ user }) =>
    `I don't know who ${user} is; ask an sgops operator to add you to the policy file.`,
  notARequester: ({ person, namespace, cluster }) =>
    `${person} may not request access for ${namespace} on ${cluster}; ask a platform engineer to add you as a requester.`,
  unknownNamespace: ({ namespace, cluster }) =>
    `There is no namespace ${namespace} in ${cluster}, so nothing was requested. Check the name (\`kubectl get namespaces\`) and ask again.`,
  appNotFound: ({ app, namespace, cluster }) =>
    `No pod and no workload in ${namespace} on ${cluster} is labelled app=${app}, so nothing was requested.`,
  accountNotFound: ({ serviceAccount, namespace, cluster }) =>
    `There is no ServiceAccount ${serviceAccount} in ${namespace} on ${cluster}, so nothing was requested.`,
  didYouMean: ({ lines }) => `Did you mean:\n${lines}`,
  targetsThere: ({ namespace, apps, accounts }) =>
    `The apps in ${namespace}: ${apps}. Its ServiceAccounts: ${accounts}.`,
  unknownCluster: ({ cluster, known }) =>
    `sgops does not serve cluster ${cluster}, so nothing was requested. The clusters it serves: ${known}.`,
  noWorkflowOpens: ({ message }) =>
    `No workflow this sgops runs takes "${message}", so nothing was requested.`,
  notAnApprover: ({ person, id }) =>
    `${person} is not an approver for ${id}; only its listed approvers may decide it.`,
  selfApproval: ({ id, approvers }) =>
    `You raised ${id}, so you cannot approve it yourself; ${approvers ? `another approver must: ${approvers}.` : 'another approver must.'}`,
  noSuchRequest: ({ id }) => `There is no request ${id}; check the id (e.g. \`status request R7K2\`).`,
  notAwaitingApproval: ({ id, state }) => `${id} is ${state}, not awaiting approval.`,
  alreadyDecided: ({ id }) => `Your decision on ${id} was already recorded.`,
  requestOpened: ({ id, what }) =>
    `Request ${id} opened: ${what}. Planning now; the plan follows in a moment.`,
  planReady: ({ id, what, essentials, plan }) =>
    `Plan for ${id} (${what}), waiting for approval:\n${essentials}\n${plan}`,
  approvalAsk: ({ id, requester, what, essentials }) => `${requester} asks: ${what} (${id}).\n${essentials}`,
  approvalHowTo: ({ id }) => `Reply \`approve ${id}\` or \`deny ${id} <reason>\`.`,
  approvalRecorded: ({ id, by, waiting }) => `${by} approved ${id}; still waiting for:\n${waiting}`,
  selfDenial: ({ id }) =>
    `You raised ${id}, so you cannot deny it; you may withdraw it: reply \`cancel ${id}\`.`,
  approved: ({ id, by }) => `${id} approved by ${by}; carrying out the plan.`,
  stepStarted: ({ id, step }) => `${id}: ${step}…`,
  done: ({ id, what, pods }) => `${id} done: ${what}. Verified pods:\n${pods}`,
  nothingChanged: () => 'Nothing changed: all of it was already in place.',
  fixNormalNode: ({ nodes, patches }) =>
    `Fix: pods on a normal node (${nodes}) get no security group; TKE gives them only to pods on super nodes. Pin the workload to super nodes with the nodeSelector node.kubernetes.io/instance-type=eklet and a toleration of the taint eks.tke.cloud.tencent.com/eklet:\n${patches}`,
  fixNormalNodeByHand: ({ pods }) =>
    `Fix: ${pods} run on a normal node and get no security group; TKE gives them only to pods on super nodes. Schedule them onto super nodes: nodeSelector node.kubernetes.io/instance-type=eklet and a toleration of the taint eks.tke.cloud.tencent.com/eklet (operator Exists, effect NoSchedule).`,
  fixRecreate: () =>
    'Fix: pods on super nodes that lack the group were created before the policy; a retry restarts their workloads.',
  fixNoPodsYet: () => 'No pod matches yet: deploy the app on super nodes, then retry to verify it.',
  attentionNext: ({ id }) =>
    `Then reply \`retry ${id}\` to restart and verify the pods again, or \`rollback ${id}\` to undo this request.`,
  needsAttention: ({ id, pods }) =>
    `${id} needs attention: the policy is applied, but some pods lack their groups:\n${pods}`,
  failed: ({ id, step, message, hint, changedNothing }) =>
    `${id} failed while ${step}: ${message}${hint ? `\nWhat to do: ${hint}` : ''}\n${
      changedNothing
        ? `Nothing was changed. Reply \`retry ${id}\` once that is fixed.`
        : `Reply \`retry ${id}\` or \`rollback ${id}\`.`
    }`,
  denied: ({ id, by, reason }) => `${id} was denied by ${by}: ${reason}`,
  expired: ({ id }) => `${id} expired: nobody decided in time. Nothing was changed.`,
  cancelled: ({ id, by }) => `${id} was cancelled by ${by}. Nothing was changed.`,
  rolledBack: ({ id, undone }) => `${id} rolled back: ${undone}`,
  status: ({ id, what, state, detail }) => `${id} (${what}) is ${state}.${detail ? `\n${detail}` : ''}`,
  parseError: ({ message, suggestion }) => `${message} Try: \`${suggestion}\``,
  parseErrorQuoted: ({ message, suggestion }) =>
    `That line could not be read (read as a Chinese command: 「${message}」). Try: \`${suggestion}\``,
  internalError: ({ ref }) =>
    `Something went wrong on my side (ref ${ref}); an operator can find it in the logs.`,
  databaseUnavailable: ({ ref, changed }) =>
    changed
      ? `My database went away while I handled this (ref ${ref}). Part of it was recorded: check with \`requests\` before you say it again.`
      : `My database stayed out of reach for as long as I kept trying (ref ${ref}), so nothing was changed. Please say it again in a little while.`,
  notSupportedYet: ({ what }) => `${what} is not supported yet; see \`help\` for what is.`,
  planned: ({ id, what, plan }) =>
    `Plan ${id} (${what}) — a dry run: nothing was requested and nothing will change.\n${plan}\nTo go ahead, ask with \`grant\` instead of \`plan\`.`,
  autoApproved: ({ id }) =>
    `${id} is approved by policy (auto-approval for this requester); carrying out the plan.`,
  revokePlanned: ({ id, what, plan }) => `Plan for ${id} (${what}); carrying it out now:\n${plan}`,
  revoked: ({ id, what, removed, kept }) =>
    `${id} done: ${what}.\nRemoved: ${removed}${kept ? `\nKept, still in use: ${kept}` : ''}`,
  requestsList: ({ title, lines }) => `${title}:\n${lines}`,
  noRequests: ({ title }) => `${title}: none.`,
  requestsTitle: ({ filter }) =>
    filter === 'mine'
      ? 'Your requests'
      : filter === 'pending'
        ? 'Requests awaiting approval'
        : 'Recent requests',
  notInvolved: ({ id }) => `Only the requester or an approver of ${id} may do that.`,
  tooLateToCancel: ({ id, state }) =>
    `${id} can no longer be cancelled: it is ${state} and changes may have started. Once it ends, \`rollback ${id}\` undoes them.`,
  cannotRetry: ({ id, state }) =>
    `${id} is ${state}; only a failed request, or one that needs attention, can be retried.`,
  cannotRollBack: ({ id, state }) =>
    `${id} is ${state}; only a failed request, or one that needs attention, can be rolled back.`,
  retrying: ({ id, step }) => `Retrying ${id}: ${step}…`,
  rollingBack: ({ id }) => `Rolling back ${id}: undoing, in reverse order, only what it changed…`,
  durationTooLong: ({ requested, max }) =>
    `A grant for ${requested} is longer than the ${max} this policy allows; ask for ${max} or less.`,
  forDuration: ({ duration }) => ` for ${duration}`,
  expiresAt: ({ expires, left }) => `Expires ${expires} (in ${left}); sgops then revokes it.`,
  endedByExpiry: ({ revokeId }) => `Ended: its time ran out, and sgops revoked it with ${revokeId}.`,
  endedByRevoke: ({ revokeId, by }) => `Ended early: ${by} revoked it with ${revokeId}.`,
  approvalReminder: ({ id, requester, what, waited }) =>
    `Reminder: ${requester}'s request ${id} (${what}) has waited ${waited} for approval. Reply \`approve ${id}\` or \`deny ${id} <reason>\`.`,
  expiryWarning: ({ id, what, expires, left }) =>
    `${id} (${what}) ends in ${left}, at ${expires}; sgops will then revoke it. To keep access, ask again with a new \`grant … for <duration>\`.`,
  grantExpired: ({ id, what, revokeId }) =>
    `${id} (${what}) has expired; sgops opened ${revokeId} to revoke it.`,
  grantLapsed: ({ id, what, coveredBy }) =>
    `${id} (${what}) has expired; ${coveredBy} still grants the same access, so nothing was taken away.`,
  endedCovered: ({ coveredBy }) =>
    `Ended: its time ran out while ${coveredBy} still grants the same access; nothing was taken away.`,
  appStatus: ({ app, namespace, policy, pods, requests }) =>
    `app ${app} in ${namespace}\npolicy: ${policy}\npods:\n${pods}\nopen requests: ${requests}`,
  policiesList: ({ scope, count, lines }) => `SecurityGroupPolicies ${scope} (${count}):\n${lines}`,
  noPolicies: ({ scope }) => `There are no SecurityGroupPolicies ${scope}.`,
  policiesScope: ({ namespace }) =>
    namespace ? `in ${namespace}` : 'in the namespaces you may request or approve for',
  namespaceNotVisible: ({ namespace, cluster }) =>
    `You may see only the namespaces you may request or approve for, and ${namespace} on ${cluster} is not one of them. To see it, ask an sgops operator to add you to its rule in the policy file.`,
  noPolicyCrd: ({ cluster }) =>
    `The SecurityGroupPolicy add-on is not installed on ${cluster}, so it has no policies.`,
  policyLine: ({ policy, namespace, selector, groups, origin, onSuper, carrying, elsewhere }) =>
    `- ${policy} in ${namespace} · selects ${selector} · groups ${groups} · ${origin} · pods: ${onSuper} on super nodes (${carrying} with its groups), ${elsewhere} elsewhere`,
  selectsPods: ({ selector }) => (selector ? `pods ${selector}` : 'all pods'),
  selectsAccounts: ({ selector }) => (selector ? `service accounts ${selector}` : 'all service accounts'),
  selectsNothing: () => 'nothing (no selector)',
  managedBySgops: ({ id, state }) =>
    !id ? 'managed by sgops' : `managed by sgops, request ${id} (${state || 'not in its records'})`,
  notManagedBySgops: () => 'not managed by sgops',
  andMore: ({ count }) => `…and ${count} more`,
  progressLine: ({ progress }) => `progress: ${progress}`,
  requestLine: ({ id, workflow, target, namespace, cluster, state, requester, at }) =>
    `- ${id} ${workflow} ${target} in ${namespace} on ${cluster} · ${state} · ${requester} · ${at}`,
  appPodLine: ({ pod, phase, ready, node, onSuper, groups, warning }) =>
    `- ${pod} · ${phase}${ready ? ', Ready' : ''} · ${node} (${onSuper ? 'super node' : 'normal node'}) · groups: ${groups}${warning ? ` · ${warning}` : ''}`,
  openRequest: ({ id, state }) => `${id} (${state})`,
  driftFound: ({ id, what, since, notes }) =>
    `${id} (${what}) no longer matches what was approved, since ${since}:\n${notes}`,
  driftCleared: ({ id, what }) => `${id} (${what}) matches what was approved again.`,
  driftLine: ({ since, notes }) => `Not as approved since ${since}:\n${notes}`,
  explainNeedsFlow: ({ line }) =>
    `Say which traffic to follow: add tcp:<port>, udp:<port> or icmp, for example:\n\`${line}\``,
  explainNoPods: ({ who, namespace, cluster }) =>
    `No running pod of ${who} in ${namespace} on ${cluster}, so there is no packet to follow. Check the name (\`kubectl get pods -n ${namespace} --show-labels\`).`,
  explainNoGroup: ({ id, region, line }) =>
    `There is no security group ${id} in ${region}, so nothing is behind it. Check the id:\n\`${line}\``,
  repairNotAGrant: ({ id, workflow }) =>
    `${id} is a ${workflow}, not a grant: only a grant in force can be repaired.`,
  repairNotInForce: ({ id, state }) =>
    `${id} is ${state}, not in force: only a grant that is done or active can be repaired.`,
  repairAlreadyOpen: ({ id, repairId, state, waiting }) =>
    `${id} already has an open repair, ${repairId} (${state}); nothing new was opened. ` +
    (waiting
      ? `Approve it (\`approve ${repairId}\`) or cancel it (\`cancel ${repairId}\`) first.`
      : `It is at work: wait for it to end (\`status request ${repairId}\`).`),
  repairAutoApproved: ({ id, what, grantId, plan }) =>
    `${id} (${what}) is approved by policy: it only restores what grant ${grantId} made (autoApproveRepairs); carrying out the plan:\n${plan}`,
  repairEssentials: ({ grantId }) =>
    `Puts back what grant ${grantId} made, as it was approved: only the changes below are written; nothing sgops did not write is removed.`,
  nothingToRepair: ({ id, what, notes }) =>
    `Nothing to repair for ${id} (${what}): all a repair can put back is as approved. Nothing was changed.${notes ? `\n${notes}` : ''}`,
  repaired: ({ id, what, restored }) => `${id} (${what}) is done: put back ${restored}.`,
};

const zh: Texts = {
  unknownPerson: ({ user }) => `我不认识 ${user}，请联系 sgops 管理员把您加入策略文件。`,
  notARequester: ({ person, namespace, cluster }) =>
    `${person} 无权为集群 ${cluster} 的命名空间 ${namespace} 申请访问；请联系平台工程师将您加为申请人。`,
  unknownNamespace: ({ namespace, cluster }) =>
    `集群 ${cluster} 中没有命名空间 ${namespace}，因此没有发起任何请求。请核对名称（\`kubectl get namespaces\`）后重新申请。`,
  appNotFound: ({ app, namespace, cluster }) =>
    `集群 ${cluster} 的命名空间 ${namespace} 中没有任何 Pod 或工作负载带有标签 app=${app}，因此没有发起任何请求。`,
  accountNotFound: ({ serviceAccount, namespace, cluster }) =>
    `集群 ${cluster} 的命名空间 ${namespace} 中没有服务账号 ${serviceAccount}，因此没有发起任何请求。`,
  didYouMean: ({ lines }) => `您是不是要：\n${lines}`,
  targetsThere: ({ namespace, apps, accounts }) =>
    `命名空间 ${namespace} 中的应用：${apps}。服务账号：${accounts}。`,
  unknownCluster: ({ cluster, known }) =>
    `sgops 未管理集群 ${cluster}，因此没有发起任何请求。sgops 管理的集群：${known}。`,
  noWorkflowOpens: ({ message }) => `此 sgops 没有处理“${message}”的工作流，因此没有发起任何请求。`,
  notAnApprover: ({ person, id }) => `${person} 不是 ${id} 的审批人，只有指定的审批人可以审批。`,
  selfApproval: ({ id, approvers }) =>
    `${id} 是您发起的，您不能自己审批，需由其他审批人审批${approvers ? `：${approvers}。` : '。'}`,
  noSuchRequest: ({ id }) => `没有请求 ${id}，请检查编号（例如 \`状态 请求 R7K2\`）。`,
  notAwaitingApproval: ({ id, state }) => `${id} 当前状态为 ${zhState(state)}，不在等待审批。`,
  alreadyDecided: ({ id }) => `您对 ${id} 的决定已经记录。`,
  requestOpened: ({ id, what }) => `已创建请求 ${id}：${what}。正在生成计划，稍后发送。`,
  planReady: ({ id, what, essentials, plan }) => `${id}（${what}）的计划，等待审批：\n${essentials}\n${plan}`,
  approvalAsk: ({ id, requester, what, essentials }) =>
    `${requester} 申请：${what}（${id}）。\n${essentials}`,
  approvalHowTo: ({ id }) => `回复 \`批准 ${id}\` 或 \`拒绝 ${id} <原因>\`。`,
  approvalRecorded: ({ id, by, waiting }) => `${by} 已批准 ${id}；仍在等待：\n${waiting}`,
  selfDenial: ({ id }) => `${id} 是您发起的，您不能拒绝它；如要撤回，请回复 \`取消 ${id}\`。`,
  approved: ({ id, by }) => `${id} 已由 ${by} 批准，开始执行计划。`,
  stepStarted: ({ id, step }) => `${id}：${step}……`,
  done: ({ id, what, pods }) => `${id} 已完成：${what}。已验证的 Pod：\n${pods}`,
  nothingChanged: () => '没有做任何更改：全部已就绪。',
  fixNormalNode: ({ nodes, patches }) =>
    `处理方法：普通节点（${nodes}）上的 Pod 无法获得安全组，TKE 只为超级节点上的 Pod 绑定安全组。请为工作负载添加 nodeSelector node.kubernetes.io/instance-type=eklet 和容忍污点 eks.tke.cloud.tencent.com/eklet，使其调度到超级节点：\n${patches}`,
  fixNormalNodeByHand: ({ pods }) =>
    `处理方法：${pods} 运行在普通节点上，无法获得安全组，TKE 只为超级节点上的 Pod 绑定安全组。请将其调度到超级节点：nodeSelector node.kubernetes.io/instance-type=eklet，并容忍污点 eks.tke.cloud.tencent.com/eklet（operator Exists，effect NoSchedule）。`,
  fixRecreate: () => '处理方法：超级节点上缺少安全组的 Pod 创建于策略之前；重试会重启它们的工作负载。',
  fixNoPodsYet: () => '目前没有匹配的 Pod：请将应用部署到超级节点上，然后重试以完成验证。',
  attentionNext: ({ id }) => `然后回复 \`重试 ${id}\` 重新重启并验证 Pod，或回复 \`回滚 ${id}\` 撤回本请求。`,
  needsAttention: ({ id, pods }) => `${id} 需要处理：策略已生效，但部分 Pod 没有获得安全组：\n${pods}`,
  failed: ({ id, step, message, hint, changedNothing }) =>
    `${id} 在「${step}」时失败：${message}${hint ? `\n处理建议：${hint}` : ''}\n${
      changedNothing
        ? `未做任何更改。问题解决后回复 \`重试 ${id}\`。`
        : `回复 \`重试 ${id}\` 或 \`回滚 ${id}\`。`
    }`,
  denied: ({ id, by, reason }) => `${id} 已被 ${by} 拒绝：${reason}`,
  expired: ({ id }) => `${id} 已过期：无人在时限内审批，未做任何更改。`,
  cancelled: ({ id, by }) => `${id} 已被 ${by} 取消，未做任何更改。`,
  rolledBack: ({ id, undone }) => `${id} 已回滚：${undone}`,
  status: ({ id, what, state, detail }) =>
    `${id}（${what}）状态：${zhState(state)}。${detail ? `\n${detail}` : ''}`,
  parseError: ({ message, suggestion }) => `${message} 试试：\`${suggestion}\``,
  parseErrorQuoted: ({ message, suggestion }) =>
    `这一行没能读懂（按英文命令读取：「${message}」）。试试：\`${suggestion}\``,
  internalError: ({ ref }) => `内部出错（编号 ${ref}），管理员可在日志中查看。`,
  databaseUnavailable: ({ ref, changed }) =>
    changed
      ? `处理时数据库中断（编号 ${ref}），部分已记录：请先发送 \`请求列表\` 查看，再决定是否重发。`
      : `多次重试仍无法连接数据库（编号 ${ref}），没有做任何更改。请稍后重新发送。`,
  notSupportedYet: ({ what }) => `暂不支持 ${what}；发送 \`帮助\` 查看支持的命令。`,
  planned: ({ id, what, plan }) =>
    `计划 ${id}（${what}）——仅预演：没有提交请求，也不会做任何更改。\n${plan}\n如需执行，请用 \`授权\` 代替 \`计划\`。`,
  autoApproved: ({ id }) => `${id} 已按策略自动批准，开始执行计划。`,
  revokePlanned: ({ id, what, plan }) => `${id}（${what}）的计划，现在执行：\n${plan}`,
  revoked: ({ id, what, removed, kept }) =>
    `${id} 已完成：${what}。\n已删除：${removed}${kept ? `\n仍在使用而保留：${kept}` : ''}`,
  requestsList: ({ title, lines }) => `${title}：\n${lines}`,
  noRequests: ({ title }) => `${title}：无。`,
  requestsTitle: ({ filter }) =>
    filter === 'mine' ? '我的请求' : filter === 'pending' ? '待审批的请求' : '最近的请求',
  notInvolved: ({ id }) => `只有 ${id} 的申请人或审批人可以这样做。`,
  tooLateToCancel: ({ id, state }) =>
    `${id} 已无法取消：当前状态为 ${zhState(state)}，更改可能已经开始。结束后可用 \`回滚 ${id}\` 撤回。`,
  cannotRetry: ({ id, state }) => `${id} 当前状态为 ${zhState(state)}；只有失败或需要处理的请求可以重试。`,
  cannotRollBack: ({ id, state }) => `${id} 当前状态为 ${zhState(state)}；只有失败或需要处理的请求可以回滚。`,
  retrying: ({ id, step }) => `正在重试 ${id}：${step}……`,
  rollingBack: ({ id }) => `正在回滚 ${id}：按相反顺序只撤回它所做的更改……`,
  durationTooLong: ({ requested, max }) =>
    `授权时长 ${requested} 超过策略允许的 ${max}；请申请 ${max} 或更短。`,
  forDuration: ({ duration }) => `，时长 ${duration}`,
  expiresAt: ({ expires, left }) => `到期时间 ${expires}（还剩 ${left}），届时 sgops 会自动撤销。`,
  endedByExpiry: ({ revokeId }) => `已结束：授权已到期，sgops 已通过 ${revokeId} 撤销。`,
  endedByRevoke: ({ revokeId, by }) => `已提前结束：${by} 已通过 ${revokeId} 撤销。`,
  approvalReminder: ({ id, requester, what, waited }) =>
    `提醒：${requester} 的请求 ${id}（${what}）已等待审批 ${waited}。回复 \`批准 ${id}\` 或 \`拒绝 ${id} <原因>\`。`,
  expiryWarning: ({ id, what, expires, left }) =>
    `${id}（${what}）将在 ${left} 后（${expires}）到期，届时 sgops 会自动撤销。如需继续访问，请重新申请 \`授权 … 时长 <时长>\`。`,
  grantExpired: ({ id, what, revokeId }) => `${id}（${what}）已到期；sgops 已创建 ${revokeId} 自动撤销。`,
  grantLapsed: ({ id, what, coveredBy }) =>
    `${id}（${what}）已到期；${coveredBy} 仍授予相同的访问，因此没有撤销任何内容。`,
  endedCovered: ({ coveredBy }) =>
    `已结束：授权已到期，但 ${coveredBy} 仍授予相同的访问，因此没有撤销任何内容。`,
  appStatus: ({ app, namespace, policy, pods, requests }) =>
    `应用 ${app}（命名空间 ${namespace}）\n策略：${policy}\nPod：\n${pods}\n未结束的请求：${requests}`,
  policiesList: ({ scope, count, lines }) => `${scope}的 SecurityGroupPolicy（共 ${count} 个）：\n${lines}`,
  noPolicies: ({ scope }) => `${scope}没有 SecurityGroupPolicy。`,
  policiesScope: ({ namespace }) => (namespace ? `命名空间 ${namespace} 中` : '您可申请或审批的命名空间中'),
  namespaceNotVisible: ({ namespace, cluster }) =>
    `您只能查看自己可申请或审批的命名空间，集群 ${cluster} 的命名空间 ${namespace} 不在其中。如需查看，请联系 sgops 管理员在策略文件中把您加入该命名空间的规则。`,
  noPolicyCrd: ({ cluster }) => `集群 ${cluster} 未安装 SecurityGroupPolicy 组件，因此没有任何策略。`,
  policyLine: ({ policy, namespace, selector, groups, origin, onSuper, carrying, elsewhere }) =>
    `- ${policy}（命名空间 ${namespace}）· 选择 ${selector} · 安全组 ${groups} · ${origin} · Pod：超级节点上 ${onSuper} 个（其中 ${carrying} 个已带安全组），其他 ${elsewhere} 个`,
  selectsPods: ({ selector }) => (selector ? `Pod 标签 ${selector}` : '所有 Pod'),
  selectsAccounts: ({ selector }) => (selector ? `服务账号标签 ${selector}` : '所有服务账号'),
  selectsNothing: () => '无（没有选择器）',
  managedBySgops: ({ id, state }) =>
    !id ? '由 sgops 管理' : `由 sgops 管理，请求 ${id}（${state ? zhState(state) : '记录中没有'}）`,
  notManagedBySgops: () => '非 sgops 管理',
  andMore: ({ count }) => `……还有 ${count} 个`,
  progressLine: ({ progress }) => `进度：${progress}`,
  requestLine: ({ id, workflow, target, namespace, cluster, state, requester, at }) =>
    `- ${id} ${zhWorkflow(workflow)} ${target}，命名空间 ${namespace}，集群 ${cluster} · ${zhState(state)} · ${requester} · ${at}`,
  appPodLine: ({ pod, phase, ready, node, onSuper, groups, warning }) =>
    `- ${pod} · ${phase}${ready ? '，已就绪' : ''} · ${node}（${onSuper ? '超级节点' : '普通节点'}）· 安全组：${groups}${warning ? ` · 集群事件：「${warning}」` : ''}`,
  openRequest: ({ id, state }) => `${id}（${zhState(state)}）`,
  driftFound: ({ id, what, since, notes }) =>
    `${id}（${what}）自 ${since} 起与批准时的状态不一致：\n${notes}`,
  driftCleared: ({ id, what }) => `${id}（${what}）已恢复为批准时的状态。`,
  driftLine: ({ since, notes }) => `自 ${since} 起与批准时的状态不一致：\n${notes}`,
  explainNeedsFlow: ({ line }) =>
    `请说明要分析哪种流量：加上 tcp:<端口>、udp:<端口> 或 icmp，例如：\n\`${line}\``,
  explainNoPods: ({ who, namespace, cluster }) =>
    `${cluster} 的 ${namespace} 中没有 ${who} 正在运行的 Pod，无从分析。请核对名称（\`kubectl get pods -n ${namespace} --show-labels\`）。`,
  explainNoGroup: ({ id, region, line }) =>
    `地域 ${region} 中没有安全组 ${id}，其后没有任何实例。请核对 ID：\n\`${line}\``,
  repairNotAGrant: ({ id, workflow }) =>
    `${id} 是${zhWorkflow(workflow)}请求，不是授权：只有生效中的授权可以修复。`,
  repairNotInForce: ({ id, state }) =>
    `${id} 的状态是${zhState(state)}，并未生效：只有已完成或生效中的授权可以修复。`,
  repairAlreadyOpen: ({ id, repairId, state, waiting }) =>
    `${id} 已有一个未结束的修复请求 ${repairId}（${zhState(state)}），未新建请求。` +
    (waiting
      ? `请先批准（\`批准 ${repairId}\`）或取消（\`取消 ${repairId}\`）该请求。`
      : `该请求正在执行，请等待其结束（\`状态 请求 ${repairId}\`）。`),
  repairAutoApproved: ({ id, what, grantId, plan }) =>
    `${id}（${what}）已按策略自动批准：只恢复授权 ${grantId} 所做的变更（autoApproveRepairs），开始执行计划：\n${plan}`,
  repairEssentials: ({ grantId }) =>
    `按批准时的内容恢复授权 ${grantId} 所做的变更：只写入下列更改，不删除任何非 sgops 写入的内容。`,
  nothingToRepair: ({ id, what, notes }) =>
    `${id}（${what}）无需修复：修复能恢复的内容均与批准时一致。未做任何更改。${notes ? `\n${notes}` : ''}`,
  repaired: ({ id, what, restored }) => `${id}（${what}）已完成：已恢复 ${restored}。`,
};

export const replyTexts: Record<Locale, Texts> = { en, zh };

/** The words for a step of a workflow: revoke's recreatePods takes the group away rather than giving it. */
export function stepLabel(locale: Locale, workflow: string, step: string): string {
  if (workflow === 'repair' && step === 'recreatePods') {
    return locale === 'zh'
      ? '正在滚动重启没有安全组的 Pod 所属的工作负载'
      : 'restarting the workloads of the pods that run without the group';
  }
  if (workflow === 'revoke' && step === 'recreatePods') {
    return locale === 'zh'
      ? '正在滚动重启工作负载，使 Pod 不再带有安全组'
      : 'restarting the workloads so their pods are recreated without the group';
  }
  return stepLabels[locale][step] ?? step;
}

/** What each workflow step does, in words a requester follows. */
export const stepLabels: Record<Locale, Record<string, string>> = {
  en: {
    planning: 'checking the cluster and building the plan',
    ensurePodSecurityGroup: 'finding or creating the pod security group',
    allowDns: 'allowing DNS (TCP/UDP 53) from the pod group through the cluster security group',
    ensurePodGroupRules: "writing the pod group's rules (itself, kubelet health checks, egress)",
    applyPolicy: 'applying the SecurityGroupPolicy',
    recreatePods: 'restarting the workloads so their pods are recreated with the group',
    verifying: 'verifying every selected pod carries the group',
    rollingBack: 'rolling back what this request changed',
    removePolicy: 'removing the SecurityGroupPolicy',
    removeDnsRules: "removing the pod group's DNS rules from the cluster security group, unless still needed",
    removePodGroup: 'deleting the pod security group, unless still in use',
    restoreRules: 'writing back the rules that went missing, as the grant wrote them',
    reapplyPolicy: 'putting the SecurityGroupPolicy back as approved',
  },
  zh: {
    planning: '正在检查集群并生成计划',
    ensurePodSecurityGroup: '正在查找或创建 Pod 安全组',
    allowDns: '正在放通 Pod 安全组到集群安全组的 DNS（TCP/UDP 53）',
    ensurePodGroupRules: '正在写入 Pod 安全组规则（组内互通、kubelet 健康检查、出站）',
    applyPolicy: '正在应用 SecurityGroupPolicy',
    recreatePods: '正在滚动重启工作负载，使 Pod 带上安全组重建',
    verifying: '正在验证每个选中的 Pod 都带有安全组',
    rollingBack: '正在回滚本请求所做的更改',
    removePolicy: '正在删除 SecurityGroupPolicy',
    removeDnsRules: '正在从集群安全组删除 Pod 安全组的 DNS 规则（仍被使用则保留）',
    removePodGroup: '正在删除 Pod 安全组（仍被使用则保留）',
    restoreRules: '正在按授权时的写法恢复缺失的规则',
    reapplyPolicy: '正在按批准时的内容恢复 SecurityGroupPolicy',
  },
};
export type ReplyKey = keyof Texts;
