import { describe, expect, it } from 'vitest';
import {
  inboundFromDenyReason,
  inboundFromMessageEvent,
  inboundFromSlashCommand,
  maxInboundLength,
} from '../../../../adapters/slack/slack-inbound.ts';

const command = { team_id: 'T1', user_id: 'U1', channel_id: 'C1', trigger_id: '1.2.abc', text: 'help' };

describe('Slack payloads as chat lines', () => {
  it('gives a slash command a stable id from team, user and trigger', () => {
    const a = inboundFromSlashCommand(command, 'UBOT');
    expect(a.messageId).toBe(inboundFromSlashCommand({ ...command }, 'UBOT').messageId);
    expect(a.messageId).not.toBe(
      inboundFromSlashCommand({ ...command, trigger_id: '1.2.abd' }, 'UBOT').messageId,
    );
    expect(a.messageId).not.toBe(inboundFromSlashCommand({ ...command, user_id: 'U2' }, 'UBOT').messageId);
    expect(a.messageId).not.toContain(':');
  });

  it('reads an empty slash command as help and cuts absurdly long lines', () => {
    expect(inboundFromSlashCommand({ ...command, text: '' }, 'UBOT').text).toBe('help');
    expect(inboundFromSlashCommand({ ...command, text: 'x'.repeat(10_000) }, 'UBOT').text).toHaveLength(
      maxInboundLength,
    );
    // An emoji straddling the limit is left out whole, not cut into a lone surrogate.
    const emoji = inboundFromSlashCommand({ ...command, text: `x${'😀'.repeat(3000)}` }, 'UBOT').text;
    expect(emoji).toBe(`x${'😀'.repeat((maxInboundLength - 2) / 2)}`);
  });

  it('threads a mention under itself but leaves a direct message unthreaded', () => {
    const event = { user: 'U1', channel: 'C1', text: '<@UBOT> help', ts: '1.000100' };
    expect(inboundFromMessageEvent('Ev1', event, 'UBOT', { threadOnMessage: true }).threadId).toBe(
      '1.000100',
    );
    expect(
      inboundFromMessageEvent('Ev1', event, 'UBOT', { threadOnMessage: false }).threadId,
    ).toBeUndefined();
    expect(
      inboundFromMessageEvent('Ev1', { ...event, thread_ts: '0.5' }, 'UBOT', { threadOnMessage: false })
        .threadId,
    ).toBe('0.5');
  });

  it('folds a multi-line deny reason into one line', () => {
    const line = inboundFromDenyReason({
      requestId: 'R7K2',
      reason: ' change\nfreeze \t until Monday ',
      userId: 'U2',
      viewId: 'V1',
      channel: 'D2',
    });
    expect(line.text).toBe('deny R7K2 change freeze until Monday');
    expect(line.messageId).toBe('view.V1');
  });
});
