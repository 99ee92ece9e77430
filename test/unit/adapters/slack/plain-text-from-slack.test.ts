import { describe, expect, it } from 'vitest';
import { plainTextFromSlack } from '../../../../adapters/slack/plain-text-from-slack.ts';
import { escapeMrkdwn } from '../../../../adapters/slack/escape-mrkdwn.ts';

describe('plainTextFromSlack', () => {
  it('drops the bot mention wherever it is', () => {
    expect(plainTextFromSlack('<@UBOT> status request R7K2', 'UBOT')).toBe('status request R7K2');
    expect(plainTextFromSlack('hey <@UBOT|sgops>   approve  R7K2', 'UBOT')).toBe('hey approve R7K2');
  });

  it('turns links, channels and other people into their labels', () => {
    expect(plainTextFromSlack('grant pod SG to app <http://my-app.io|my-app.io>', 'UBOT')).toBe(
      'grant pod SG to app my-app.io',
    );
    expect(plainTextFromSlack('cc <@U2|bob> in <#C1|ops> <!here>', 'UBOT')).toBe('cc @bob in #ops @here');
    expect(plainTextFromSlack('<mailto:a@b.c>', 'UBOT')).toBe('a@b.c');
  });

  it('decodes entities, so what the person typed is what the grammar reads', () => {
    expect(plainTextFromSlack('allow tcp:443 from 10.0.0.0/8 because a &lt;b&gt; &amp; c', 'UBOT')).toBe(
      'allow tcp:443 from 10.0.0.0/8 because a <b> & c',
    );
  });

  it('keeps Chinese text intact', () => {
    expect(plainTextFromSlack('<@UBOT> 授权 Pod 安全组 给 应用 my-app', 'UBOT')).toBe(
      '授权 Pod 安全组 给 应用 my-app',
    );
  });
});

describe('escapeMrkdwn', () => {
  it('makes control characters inert', () => {
    expect(escapeMrkdwn('<!channel> & <http://evil|ok>')).toBe(
      '&lt;!channel&gt; &amp; &lt;http://evil|ok&gt;',
    );
  });
});
