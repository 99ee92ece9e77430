import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWeComApiClient } from '../../../../adapters/wecom/create-wecom-api-client.ts';
import type { WeComApiClient } from '../../../../adapters/wecom/create-wecom-api-client.ts';
import { createFakeWeComApi } from '../../../../adapters/wecom/fake-api/create-fake-wecom-api.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

const settings = { corpId: 'ww0123456789abcdef', corpSecret: 'directory-test-secret', agentId: 1000002 };
const fake = createFakeWeComApi({ ...settings, departments: { 42: ['carol', 'Bob'] } });
let url: string;
let client: WeComApiClient;

beforeAll(async () => {
  ({ url } = await fake.start());
  client = createWeComApiClient({ ...settings, apiBaseUrl: url, fetch });
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.clearFailures();
  fake.setDepartment(42, ['carol', 'Bob']);
});

const admin = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe("reading a WeCom department's members (user/simplelist, against the fake)", () => {
  it('lists the userids with a GET and follows changes made through the admin route', async () => {
    expect(await client.departmentUserIds(42)).toEqual(['carol', 'Bob']);
    const listed = fake.calls().filter((c) => c.path === '/cgi-bin/user/simplelist');
    expect(listed.map((c) => [c.body, c.errcode])).toEqual([[{ department_id: '42' }, 0]]);
    expect((await admin('/admin/departments', { id: 42, userids: ['Bob'] })).status).toBe(200);
    expect(await client.departmentUserIds(42)).toEqual(['Bob']);
  });

  it('fetches a new token once when the old one expired', async () => {
    await client.departmentUserIds(42);
    fake.expireTokens();
    expect(await client.departmentUserIds(42)).toEqual(['carol', 'Bob']);
    expect(fake.calls().map((c) => [c.path, c.errcode])).toEqual([
      ['/cgi-bin/user/simplelist', 0],
      ['/cgi-bin/user/simplelist', 42001],
      ['/cgi-bin/gettoken', 0],
      ['/cgi-bin/user/simplelist', 0],
    ]);
  });

  it("says a department outside the app's visible range, or none at all, needs the operator", async () => {
    await admin('/admin/departments', { id: 43, userids: ['dave'], visible: false });
    const hidden = await appErrorOf(client.departmentUserIds(43));
    expect(hidden.details).toMatchObject({ errcode: 60011 });
    expect(hidden.hint).toContain('可见范围');
    expect(hidden.retryable).toBe(false);
    const missing = await appErrorOf(client.departmentUserIds(44));
    expect(missing.details).toMatchObject({ errcode: 60003 });
    expect(missing.hint).toContain('部门ID');
  });

  it('marks a busy WeCom retryable, and answers again once the outage is cleared', async () => {
    expect(
      (await admin('/admin/fail-next', { errcode: -1, count: 100, path: '/cgi-bin/user/simplelist' })).status,
    ).toBe(200);
    const busy = await appErrorOf(client.departmentUserIds(42));
    expect(busy.retryable).toBe(true);
    await appErrorOf(client.departmentUserIds(42));
    expect((await admin('/admin/clear-failures', {})).status).toBe(200);
    expect(await client.departmentUserIds(42)).toEqual(['carol', 'Bob']);
  });
});
