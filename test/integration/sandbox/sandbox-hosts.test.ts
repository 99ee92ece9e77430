/**
 * The sandbox trusts the person each call names, so a web page that reaches it by DNS rebinding
 * (a name of the attacker's resolving to 127.0.0.1) could speak as anyone: the sandbox answers
 * only when the request names it by a loopback name.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/start-sandbox.ts';
import type { Sandbox } from '../../../src/sandbox/start-sandbox.ts';
import { requestAsHost } from '../../helpers/request-as-host.ts';

describe('the sandbox, asked by host name', () => {
  let sandbox: Sandbox | undefined;
  let dir = '';
  let url = '';
  let port = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-sandbox-hosts-'));
    sandbox = await startSandbox({ stateDir: dir, logLevel: 'silent' });
    url = sandbox.info.console.url;
    port = new URL(url).port;
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers as 127.0.0.1, localhost and [::1], with or without the port', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      'LocalHost',
      '127.0.0.1',
    ]) {
      const res = await requestAsHost(`${url}/api/people`, host);
      expect(res.status, host).toBe(200);
      expect(JSON.parse(res.body), host).toMatchObject({ mode: 'sandbox' });
    }
  });

  it('refuses any other name with 403 and says why, on the page, its API, the audit API and the webhooks', async () => {
    const hosts = [
      `rebind.attacker.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      'localhost.attacker.example',
    ];
    for (const host of hosts) {
      for (const route of ['/', '/api/people', '/api/requests', '/api/audit/export', '/slack/events']) {
        const res = await requestAsHost(`${url}${route}`, host);
        expect(res.status, `${host} ${route}`).toBe(403);
        expect(JSON.parse(res.body), `${host} ${route}`).toMatchObject({
          code: 'NOT_AUTHORISED',
          error: expect.stringContaining('answers only on loopback (127.0.0.1, localhost or [::1])'),
        });
      }
    }
    const said = await requestAsHost(`${url}/api/say`, `rebind.attacker.example:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'bob', text: 'approve R7K2' }),
    });
    expect(said.status).toBe(403);
  });
});
