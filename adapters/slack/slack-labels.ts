/** The few words the Slack adapter adds around sgops' own texts (buttons, modal, checklist), in both languages. */
import type { Locale } from '../../src/domain/locale.ts';
import type { CardDecision } from '../../src/ports/chat-message.ts';

/** Who decided, as people read it: "Bob (bob)", "Bob (bob) and Carol (carol)". */
type People = CardDecision['by'];
const named = (by: People, and: string) => by.map((p) => `${p.name} (${p.personId})`).join(and);

export interface SlackLabels {
  approve: string;
  /** The button under a drift report. */
  repair: string;
  /** The button under a line an answer offers to start (explain's smallest change). */
  start: string;
  deny: string;
  confirmApproveTitle: string;
  confirmApproveText: (id: string) => string;
  confirm: string;
  cancel: string;
  /** Modal titles are at most 24 characters. */
  denyModalTitle: string;
  denyModalSubmit: string;
  denyReasonLabel: (id: string) => string;
  denyReasonPlaceholder: string;
  denyReasonRequired: string;
  approvalHeader: (id: string) => string;
  /** A decided card's outcome in words; `by` and `reason` are escaped by the caller. */
  decision: (outcome: CardDecision['outcome'], by: People, reason?: string) => string;
  decidedAt: (at: string) => string;
  /** Under an approval that is one of several. */
  stillWaiting: string;
  progressTitle: (id: string) => string;
  state: (state: string) => string;
  received: (line: string) => string;
  couldNotRecord: string;
  truncated: (id: string) => string;
  /** A card whose plan does not fit carries no Approve button: where to read and approve it instead. */
  tooLongToApproveHere: (id: string, reviewUrl?: string) => string;
  reviewInConsole: string;
  /** Under the answer to a /sgops typed where the bot cannot post: where the rest will be told. */
  followUpInDm: (id: string) => string;
}

export const slackLabels: Record<Locale, SlackLabels> = {
  en: {
    approve: 'Approve',
    repair: 'Repair',
    start: 'Start this',
    deny: 'Deny',
    confirmApproveTitle: 'Approve this request?',
    confirmApproveText: (id) => `sgops will carry out request ${id} as planned.`,
    confirm: 'Approve',
    cancel: 'Cancel',
    denyModalTitle: 'Deny request',
    denyModalSubmit: 'Deny',
    denyReasonLabel: (id) => `Why is ${id} denied?`,
    denyReasonPlaceholder: 'The requester will read this',
    denyReasonRequired: 'Please give a reason.',
    approvalHeader: (id) => `:lock: Approval needed: request ${id}`,
    decision: (outcome, by, reason) => {
      const who = by.length > 0 ? ` by ${named(by, ' and ')}` : '';
      const why = reason ? `: ${reason}` : '';
      if (outcome === 'approved') return `:white_check_mark: *Approved*${who}`;
      if (outcome === 'denied') return `:no_entry_sign: *Denied*${who}${why}`;
      if (outcome === 'cancelled') return `:no_entry_sign: *Cancelled*${who}${why}`;
      return ':hourglass: *Expired*: nobody decided in time';
    },
    decidedAt: (at) => `Decided ${at}`,
    stillWaiting: '_Still waiting for the other approvals._',
    progressTitle: (id) => `*Progress of ${id}*`,
    state: (state) => `state: \`${state}\``,
    received: (line) => `:hourglass_flowing_sand: Received: \`${line}\``,
    couldNotRecord: ':warning: sgops could not record that command; please try again.',
    truncated: (id) => `_… truncated; \`status request ${id}\` shows the rest_`,
    tooLongToApproveHere: (id, url) =>
      `:warning: _This plan is too long for a card, so it cannot be approved here. Read all of it ${url ? `in the console (<${url}|${id}>) or ` : ''}with \`status request ${id}\`, then reply \`approve ${id}\`._`,
    reviewInConsole: 'Review in the console',
    followUpInDm: (id) =>
      `_Only you can see this: sgops cannot post in this conversation, so what follows about ${id} comes in your DM with sgops._`,
  },
  zh: {
    approve: '批准',
    repair: '修复',
    start: '发起',
    deny: '拒绝',
    confirmApproveTitle: '批准这个申请？',
    confirmApproveText: (id) => `sgops 将按计划执行申请 ${id}。`,
    confirm: '批准',
    cancel: '取消',
    denyModalTitle: '拒绝申请',
    denyModalSubmit: '拒绝',
    denyReasonLabel: (id) => `拒绝 ${id} 的原因`,
    denyReasonPlaceholder: '申请人会看到这段话',
    denyReasonRequired: '请填写原因。',
    approvalHeader: (id) => `:lock: 待审批：申请 ${id}`,
    decision: (outcome, by, reason) => {
      const who = by.length > 0 ? `${named(by, '、')} ` : '';
      const why = reason ? `：${reason}` : '';
      if (outcome === 'approved') return `:white_check_mark: ${who}*已批准*`;
      if (outcome === 'denied') return `:no_entry_sign: ${who}*已拒绝*${why}`;
      if (outcome === 'cancelled') return `:no_entry_sign: ${who}*已取消*${why}`;
      return ':hourglass: *已过期*：无人及时处理';
    },
    decidedAt: (at) => `处理时间 ${at}`,
    stillWaiting: '_仍在等待其他审批。_',
    progressTitle: (id) => `*${id} 的进度*`,
    state: (state) => `状态：\`${state}\``,
    received: (line) => `:hourglass_flowing_sand: 已收到：\`${line}\``,
    couldNotRecord: ':warning: sgops 未能记录这条命令，请重试。',
    truncated: (id) => `_…… 内容过长已截断；\`状态 请求 ${id}\` 可查看全部_`,
    tooLongToApproveHere: (id, url) =>
      `:warning: _计划过长，无法在卡片上批准。请${url ? `在控制台（<${url}|${id}>）或` : ''}用 \`状态 请求 ${id}\` 查看全部，然后回复 \`批准 ${id}\`。_`,
    reviewInConsole: '在控制台审阅',
    followUpInDm: (id) =>
      `_仅你可见：sgops 无法在此对话中发消息，${id} 的后续消息会发到你与 sgops 的私信中。_`,
  },
};
