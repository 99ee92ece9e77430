import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.ts';
import { completeConfig, configFromYaml } from '../../helpers/config-from-yaml.ts';
import { configRefusal } from '../../helpers/config-refusal.ts';

/** A complete configuration with the given `slack:` section. */
function load(slack: Record<string, unknown>, env: Record<string, string> = {}): Config {
  return configFromYaml(
    {
      ...completeConfig,
      slack: { botToken: 'xoxb-1', botUserId: 'U0SGOPSBOT', botId: 'B0SGOPSBOT', ...slack },
    },
    env,
  );
}

describe('the Slack mode in the configuration', () => {
  it('is http by default, which needs the signing secret', () => {
    expect(load({ signingSecret: 's3cret' }).slack).toMatchObject({ mode: 'http', signingSecret: 's3cret' });
    expect(configRefusal(() => load({})).message).toContain(
      'slack.signingSecret: required in http mode (SLACK_SIGNING_SECRET)',
    );
  });

  it('is socket with SLACK_MODE, which needs an app-level token and no signing secret', () => {
    const config = load({}, { SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-1-A0-1-abc' });
    expect(config.slack).toMatchObject({ mode: 'socket', appToken: 'xapp-1-A0-1-abc' });
    expect(config.slack?.signingSecret).toBeUndefined();
    expect(configRefusal(() => load({ mode: 'socket' })).message).toContain(
      'slack.appToken: required in socket mode (SLACK_APP_TOKEN)',
    );
  });

  it('refuses a bot token given as the app-level token, and an unknown mode', () => {
    expect(configRefusal(() => load({ mode: 'socket', appToken: 'xoxb-1' })).message).toContain(
      'slack.appToken: an app-level token starts with xapp-',
    );
    expect(configRefusal(() => load({ signingSecret: 's' }, { SLACK_MODE: 'websocket' })).message).toContain(
      'slack.mode',
    );
  });
});
