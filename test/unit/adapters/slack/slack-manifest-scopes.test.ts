import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const slackDir = new URL('../../../../adapters/slack/', import.meta.url);

/** The bot scopes each Web API method sgops may call needs (Slack's method reference). */
const scopesOfMethod: Record<string, string[]> = {
  // chat:write.public: the slash command's channel may be public without the bot in it.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.open': ['im:write'],
  'usergroups.users.list': ['usergroups:read'],
  'views.open': [],
};

/** The bot scopes Slack needs to deliver what the manifest subscribes to. */
const scopesOfDelivery: Record<string, string[]> = {
  slash_command: ['commands'],
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
};

interface Manifest {
  features: { slash_commands?: unknown[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

function readmeManifest(): Manifest {
  const readme = readFileSync(new URL('README.md', slackDir), 'utf8');
  const section = readme.slice(readme.indexOf('## Slack app manifest'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!yaml) throw new Error('no manifest in adapters/slack/README.md');
  return parse(yaml) as Manifest;
}

/** Every `client.<family>.<method>(` in the adapter's own code (the fake API excluded). */
function methodsCalled(): Set<string> {
  const methods = new Set<string>();
  for (const file of readdirSync(slackDir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, slackDir), 'utf8');
    expect(source, `${file} calls apiCall, which this test cannot see through`).not.toMatch(/\.apiCall\(/);
    for (const match of source.matchAll(/\bclient\.((?:[a-z]+\.)+[a-zA-Z]+)\(/g)) methods.add(match[1]!);
  }
  return methods;
}

describe('the Slack app manifest', () => {
  it('asks for exactly the bot scopes of the methods sgops calls and the events it receives', () => {
    const manifest = readmeManifest();
    const called = [...methodsCalled()].sort();
    expect(called).toEqual(Object.keys(scopesOfMethod).sort());
    const deliveries = [
      ...(manifest.features.slash_commands?.length ? ['slash_command'] : []),
      ...manifest.settings.event_subscriptions.bot_events,
    ];
    const needed = new Set([
      ...called.flatMap((m) => scopesOfMethod[m] ?? []),
      ...deliveries.flatMap((d) => scopesOfDelivery[d] ?? [`an unknown delivery ${d}`]),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
