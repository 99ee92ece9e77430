import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../../adapters/slack/sign-slack-request.ts';
import { verifySlackSignature } from '../../../../adapters/slack/verify-slack-signature.ts';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = 'token=x&team_id=T1&command=%2Fsgops&text=help';
const nowMs = 1_700_000_000_000;
const ts = nowMs / 1000;

const check = (headers: { 'x-slack-signature'?: string; 'x-slack-request-timestamp'?: string }, at = nowMs) =>
  verifySlackSignature({
    signingSecret: secret,
    rawBody: body,
    signature: headers['x-slack-signature'],
    timestamp: headers['x-slack-request-timestamp'],
    nowMs: at,
  });

describe('verifySlackSignature', () => {
  it('accepts what signSlackRequest signs', () => {
    expect(check(signSlackRequest(secret, body, ts))).toEqual({ ok: true });
  });

  it('matches Slack’s documented example and Bolt’s own verifier', () => {
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = signSlackRequest(secret, docBody, 1531420618);
    expect(headers['x-slack-signature']).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
    expect(
      isValidSlackRequest({
        signingSecret: secret,
        body: docBody,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': 1531420618,
        },
        nowMilliseconds: 1531420618_000,
      }),
    ).toBe(true);
  });

  it('refuses a different secret, a changed body and a missing header', () => {
    expect(check(signSlackRequest('other', body, ts))).toEqual({ ok: false, reason: 'bad_signature' });
    const signed = signSlackRequest(secret, `${body}&x=1`, ts);
    expect(check(signed)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ 'x-slack-request-timestamp': String(ts) })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(check({ ...signSlackRequest(secret, body, ts), 'x-slack-signature': 'v0=short' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses timestamps outside five minutes either way and odd timestamps', () => {
    expect(check(signSlackRequest(secret, body, ts - 300))).toEqual({ ok: true });
    expect(check(signSlackRequest(secret, body, ts - 301))).toEqual({ ok: false, reason: 'stale' });
    expect(check(signSlackRequest(secret, body, ts + 301))).toEqual({ ok: false, reason: 'future' });
    expect(check({ 'x-slack-signature': 'v0=00', 'x-slack-request-timestamp': '1e9' })).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
  });
});
