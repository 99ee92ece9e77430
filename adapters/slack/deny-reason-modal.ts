/**
 * The modal Deny opens: one required reason field. Its private metadata carries the request id
 * and where the card was, so the submission becomes `deny <id> <reason>` in that conversation.
 */
import type { types } from '@slack/bolt';
import type { Locale } from '../../src/domain/locale.ts';
import { slackLabels } from './slack-labels.ts';

export const denyReasonCallbackId = 'sgops_deny_reason';
export const denyReasonBlockId = 'reason';
export const denyReasonActionId = 'reason';
export const denyReasonMaxLength = 500;

export interface DenyReasonMetadata {
  requestId: string;
  channel: string;
  threadTs?: string;
  locale: Locale;
}

export function denyReasonModal(meta: DenyReasonMetadata): types.View {
  const l = slackLabels[meta.locale];
  return {
    type: 'modal',
    callback_id: denyReasonCallbackId,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: l.denyModalTitle },
    submit: { type: 'plain_text', text: l.denyModalSubmit },
    close: { type: 'plain_text', text: l.cancel },
    blocks: [
      {
        type: 'input',
        block_id: denyReasonBlockId,
        label: { type: 'plain_text', text: l.denyReasonLabel(meta.requestId) },
        element: {
          type: 'plain_text_input',
          action_id: denyReasonActionId,
          multiline: true,
          max_length: denyReasonMaxLength,
          placeholder: { type: 'plain_text', text: l.denyReasonPlaceholder },
        },
      },
    ],
  };
}

/** Null when the metadata is not ours (it is signed by Slack, but only we wrote it). */
export function parseDenyReasonMetadata(raw: string | undefined): DenyReasonMetadata | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<DenyReasonMetadata>;
    if (typeof value.requestId !== 'string' || typeof value.channel !== 'string') return null;
    return {
      requestId: value.requestId,
      channel: value.channel,
      ...(typeof value.threadTs === 'string' ? { threadTs: value.threadTs } : {}),
      locale: value.locale === 'zh' ? 'zh' : 'en',
    };
  } catch {
    return null;
  }
}
