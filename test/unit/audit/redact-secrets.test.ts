import { describe, expect, it } from 'vitest';
import { redactedMark, redactSecrets } from '../../../src/audit/redact-secrets.ts';
import { AppError } from '../../../src/errors.ts';

describe('redactSecrets', () => {
  it('masks values under secret-looking keys at any depth, whatever their spelling', () => {
    const input = {
      securityGroupId: 'sg-1',
      credentials: { SecretId: 'AKID1', secretKey: 'sk', session_token: 't' },
      headers: { Authorization: 'Bearer abc', 'x-api-key': 'k' },
      wecom: { encodingAESKey: 'aes', corpsecret: 'cs', token: 'tok' },
      slack: { signingSecret: 'ss', botToken: 'xoxb' },
      password: 'p',
      list: [{ accessToken: 'a', name: 'keep' }],
    };
    expect(redactSecrets(input)).toEqual({
      securityGroupId: 'sg-1',
      credentials: redactedMark,
      headers: { Authorization: redactedMark, 'x-api-key': redactedMark },
      wecom: { encodingAESKey: redactedMark, corpsecret: redactedMark, token: redactedMark },
      slack: { signingSecret: redactedMark, botToken: redactedMark },
      password: redactedMark,
      list: [{ accessToken: redactedMark, name: 'keep' }],
    });
  });

  it('masks configured secret values wherever they appear in strings', () => {
    const secrets = ['AKIDsupersecret', 'xoxb-123-456'];
    expect(
      redactSecrets(
        { url: 'https://x/?k=AKIDsupersecret&t=xoxb-123-456', note: ['xoxb-123-456'], n: 3 },
        secrets,
      ),
    ).toEqual({ url: `https://x/?k=${redactedMark}&t=${redactedMark}`, note: [redactedMark], n: 3 });
  });

  it('ignores configured secrets too short to mask safely', () => {
    expect(redactSecrets('a cat sat', ['a', ''])).toBe('a cat sat');
  });

  it('returns a JSON-shaped copy and leaves the input alone', () => {
    const shared = { a: 1 };
    const input: Record<string, unknown> = {
      when: new Date(Date.UTC(2025, 0, 1)),
      big: 10n,
      fn: () => 1,
      shared,
      again: shared,
    };
    input['self'] = input;
    const out = redactSecrets(input);
    expect(out).toEqual({
      when: '2025-01-01T00:00:00.000Z',
      big: '10',
      shared: { a: 1 },
      again: { a: 1 },
      self: '[Circular]',
    });
    expect(input['fn']).toBeTypeOf('function');
  });

  it('keeps an error’s code and message but masks secrets inside them', () => {
    const error = new AppError('CLOUD_AUTH', 'signature for AKIDsupersecret rejected', {
      details: { requestId: 'req-1', secretKey: 'x' },
    });
    expect(redactSecrets(error, ['AKIDsupersecret'])).toMatchObject({
      name: 'AppError',
      code: 'CLOUD_AUTH',
      message: `signature for ${redactedMark} rejected`,
      details: { requestId: 'req-1', secretKey: redactedMark },
    });
  });
});
