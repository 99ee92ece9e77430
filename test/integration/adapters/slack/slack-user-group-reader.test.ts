import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';
import { slackUserGroupReader } from '../../../../adapters/slack/read-slack-user-group.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

const token = 'xoxb-directory-test';
const api = createFakeSlackApi({ token, userGroups: { S0SRE: ['U0BOB', 'U0CAROL'] } });
let url: string;
let read: (userGroupId: string) => Promise<string[]>;

beforeAll(async () => {
  const started = await api.start();
  url = started.url;
  read = slackUserGroupReader(
    new webApi.WebClient(token, { slackApiUrl: started.apiUrl, retryConfig: { retries: 0 } }),
  );
});
afterAll(() => api.stop());
beforeEach(() => {
  api.reset();
  api.setUserGroup('S0SRE', ['U0BOB', 'U0CAROL']);
});

describe('reading a Slack user group through the Web API (against the fake)', () => {
  it('lists the members with usergroups.users.list and follows changes made through the admin route', async () => {
    expect(await read('S0SRE')).toEqual(['U0BOB', 'U0CAROL']);
    expect(api.calls('usergroups.users.list').map((c) => c.body)).toEqual([{ usergroup: 'S0SRE' }]);
    const changed = await fetch(`${url}/admin/usergroups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ usergroup: 'S0SRE', users: ['U0BOB'] }),
    });
    expect(changed.status).toBe(200);
    expect(await read('S0SRE')).toEqual(['U0BOB']);
  });

  it('says an unknown user group is a policy file problem', async () => {
    const error = await appErrorOf(read('S0NOPE'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toMatchObject({ slackError: 'no_such_subteam', usergroup: 'S0NOPE' });
    expect(error.hint).toContain('slackUserGroup');
  });

  it('maps a missing usergroups:read scope to configuration and throttling to a retryable error', async () => {
    api.failNext('usergroups.users.list', 'missing_scope');
    const scope = await appErrorOf(read('S0SRE'));
    expect(scope.code).toBe('CONFIG_INVALID');
    expect(scope.retryable).toBe(false);
    api.failNext('usergroups.users.list', 'service_unavailable');
    const down = await appErrorOf(read('S0SRE'));
    expect(down.code).toBe('NETWORK');
    expect(down.retryable).toBe(true);
    expect(await read('S0SRE')).toEqual(['U0BOB', 'U0CAROL']);
  });

  it('refuses a wrong token the way Slack does', async () => {
    const other = slackUserGroupReader(
      new webApi.WebClient('xoxb-wrong', { slackApiUrl: `${url}/api/`, retryConfig: { retries: 0 } }),
    );
    const error = await appErrorOf(other('S0SRE'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toMatchObject({ slackError: 'invalid_auth' });
  });
});
