import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/create-logger.ts';
import { secretsOf } from '../../../src/config-secrets.ts';
import { createSecretList } from '../../../src/logging/secret-list.ts';

const captured = () => {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
};

describe('the process logger', () => {
  it('masks a configured secret wherever it appears in a line, under any key or inside a message', () => {
    const out = captured();
    const logger = createLogger({
      level: 'debug',
      secrets: ['xoxb-bot-token-123'],
      destination: out.destination,
    });
    logger.info(
      { slack: { botToken: 'xoxb-bot-token-123' }, note: 'sent with xoxb-bot-token-123' },
      'auth xoxb-bot-token-123',
    );
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).not.toContain('xoxb-bot-token-123');
    expect(out.lines[0]).toContain('[REDACTED]');
    expect(JSON.parse(out.lines[0]!).msg).toBe('auth [REDACTED]');
  });

  it('masks a secret whose characters JSON escapes', () => {
    const out = captured();
    const logger = createLogger({ level: 'info', secrets: ['pa"ss\\word'], destination: out.destination });
    logger.info({ err: 'bad pa"ss\\word' }, 'x');
    expect(JSON.parse(out.lines[0]!).err).toBe('bad [REDACTED]');
  });

  it('masks a secret learned after it was created, from the next line on', () => {
    const out = captured();
    const secrets = createSecretList(['configured-secret']);
    const logger = createLogger({
      level: 'info',
      secrets: () => secrets.values(),
      destination: out.destination,
    });
    logger.info('temporary key AKIDtemporary0001 in use');
    secrets.learn(['AKIDtemporary0001']);
    logger.info('temporary key AKIDtemporary0001 in use, with configured-secret');
    expect(JSON.parse(out.lines[0]!).msg).toContain('AKIDtemporary0001');
    expect(JSON.parse(out.lines[1]!).msg).toBe('temporary key [REDACTED] in use, with [REDACTED]');
  });

  it('leaves lines without secrets as pino wrote them', () => {
    const out = captured();
    const logger = createLogger({ level: 'info', secrets: ['s3cr3t-value'], destination: out.destination });
    logger.info({ requestId: 'R7K2' }, 'request opened');
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ requestId: 'R7K2', msg: 'request opened' });
  });
});

describe('the secrets of a configuration', () => {
  it('are the values under secret-looking keys and the passwords inside URLs, not file paths', () => {
    expect(
      secretsOf({
        slack: { signingSecret: 'sign-1234', botToken: 'xoxb-1', appToken: 'xapp-1' },
        wecom: { corpSecret: 'corp-1234', encodingAESKey: 'aes-key-1234', corpId: 'ww123' },
        audit: { key: 'audit-key-1' },
        database: { url: 'postgres://sgops:db%40pass@db:5432/sgops' },
        redis: { url: 'redis://127.0.0.1:6379' },
        tencentcloud: { credentials: { kind: 'oidc', tokenFile: '/var/run/secrets/token' } },
        console: { tokens: [{ person: 'bob', token: 'console-token-bob' }] },
      }).sort(),
    ).toEqual(
      [
        'sign-1234',
        'xoxb-1',
        'xapp-1',
        'corp-1234',
        'aes-key-1234',
        'audit-key-1',
        'db@pass',
        'console-token-bob',
      ].sort(),
    );
  });
});
