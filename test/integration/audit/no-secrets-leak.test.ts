import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { startChatFakes } from '../../../src/sandbox/start-chat-fakes.ts';
import type { ChatFakes } from '../../../src/sandbox/start-chat-fakes.ts';
import { signSlackRequest } from '../../../adapters/slack/index.ts';
import {
  encryptWeComCallback,
  encryptWeComUrlVerification,
  weComCardClickXml,
} from '../../../adapters/wecom/index.ts';
import { testDatabaseUrl, withSchemaClient } from '../../helpers/pg.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';
import { startPasswordRedis } from '../../helpers/password-redis.ts';
import type { PasswordRedis } from '../../helpers/password-redis.ts';
import { configuredSecrets, secretSettings, valuesAt } from '../../helpers/config-secrets.ts';

/**
 * Issue 7's acceptance: a full run — a grant asked in Slack and approved from a WeCom card, an
 * audit summary and a revoke in the console, a forged Slack request, a forged WeCom callback and a
 * wrong console token — in a real `sgops start` process at log level debug, configured with every
 * secret the config schema knows of. No secret (nor its base64 or URL encoding) appears in the
 * process's output, in any row of any table of its schema, in `sgops audit export`, in
 * `sgops audit verify`, or in the audit checkpoint file.
 */
const app = { app: 'leak-web', namespace: 'leak-ns' };
const secret = (label: string) => `${label}${randomBytes(16).toString('hex')}`;
const cloudCredential = {
  secretId: secret('AKIDleak'),
  secretKey: secret('tcSecretKey'),
  token: secret('tcSessionToken'),
};
const kubeToken = secret('kubeToken');
const auditKey = secret('auditKey');
const redisPassword = secret('redisPassword');
const databasePassword = secret('databasePassword');
const metricsToken = secret('metricsToken');

/** Settings the schema calls secret that this run leaves unset, and why that is fine. */
const unsetOnPurpose: Record<string, string> = {
  'tencentcloud.credentials.tokenFile': 'the path of an oidc token file; this run signs with keys',
  'tencentcloud.accounts{}.credentials.tokenFile':
    'the same path, of the account the single block stands for',
  'console.publicUrl':
    'the address people open the console at, linked from chat: never with credentials in it',
};

/** The forms a secret could take in text: itself, URL-encoded, and base64 at each byte alignment. */
function needles(value: string): { form: string; text: string }[] {
  const bytes = Buffer.from(value, 'utf8');
  const base64 = [0, 1, 2].flatMap((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Only the characters made of the secret's bits alone, whatever surrounds it.
    const core = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    const url = core.replace(/\+/g, '-').replace(/\//g, '_');
    return [
      { form: `base64+${shift}`, text: core },
      ...(url === core ? [] : [{ form: `base64url+${shift}`, text: url }]),
    ];
  });
  const encoded = encodeURIComponent(value);
  return [
    { form: 'plain', text: value },
    ...(encoded === value ? [] : [{ form: 'url-encoded', text: encoded }]),
    ...base64,
  ];
}

function findings(secrets: { path: string; value: string }[], corpora: Map<string, string>): string[] {
  const found: string[] = [];
  for (const { path: where, value } of secrets)
    for (const needle of needles(value))
      for (const [name, text] of corpora) {
        const at = text.indexOf(needle.text);
        if (at >= 0)
          found.push(
            `${where} (${needle.form}) in ${name}: …${text.slice(Math.max(0, at - 80), at + needle.text.length + 40)}…`,
          );
      }
  return found;
}

function sgopsCli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.resolve('bin/sgops.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve(`exit ${error ? String(error.code) : 0}\n${stdout}\n${stderr}`),
    );
  });
}

describe('secrets never reach the logs, the database or the audit export', () => {
  let redis: PasswordRedis | undefined;
  let fakes: ChatFakes | undefined;
  let world: ProcessWorld | undefined;
  let scratch = '';
  let databaseUrl = '';

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'sgops-secrets-'));
    redis = await startPasswordRedis(redisPassword);
    fakes = await startChatFakes();
    const url = new URL(testDatabaseUrl);
    // The test database trusts loopback, so any password is accepted and this one is carried for real.
    if (!url.password) url.password = databasePassword;
    databaseUrl = url.toString();
    const { fakeApiUrl: _slackFake, ...slack } = fakes.slack;
    const { fakeApiUrl: _wecomFake, ...wecom } = fakes.wecom;
    world = await startProcessWorld({
      name: 'no-secrets',
      apps: [app],
      redisUrl: redis.url,
      auditKey,
      emulator: { credentials: [cloudCredential] },
      simulator: { token: kubeToken },
      workflow: { stepBackoffMs: 50, pollDelayMs: 200, approvalTimeoutMs: 600_000 },
      config: {
        logLevel: 'debug',
        database: { url: databaseUrl },
        tencentcloud: cloudCredential,
        kubernetes: { token: kubeToken },
        // Socket Mode's app-level token is unused over HTTP, but a configured secret all the same.
        slack: { ...slack, appToken: secret('xapp-') },
        wecom,
        audit: { key: auditKey, checkpointPath: path.join(scratch, 'audit-head.json') },
        metrics: { token: metricsToken },
        policy: {
          people: [
            { id: 'alice', name: 'Alice', slack: 'U0ALICE', wecom: 'alice' },
            { id: 'bob', name: 'Bob', slack: 'U0BOB', wecom: 'bob' },
          ],
          groups: { sre: ['bob'] },
          securityGroupOwners: [],
          rules: [
            {
              clusters: ['*'],
              namespaces: [app.namespace],
              requesters: ['alice'],
              approvers: ['group:sre'],
              quorum: 1,
            },
          ],
        },
      },
    });
    await world.start();
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
    await redis?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function slackPost(body: string, signingSecret: string): Promise<number> {
    const res = await fetch(`${world!.urls[0]}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(signingSecret, body),
      },
      body,
    });
    await res.text();
    return res.status;
  }

  async function wecomPost(xml: string, token: string): Promise<number> {
    const signed = encryptWeComCallback({
      token,
      encodingAESKey: fakes!.wecom.encodingAESKey,
      corpId: fakes!.wecom.corpId,
      xml,
    });
    const res = await fetch(`${world!.urls[0]}/wecom/callback${signed.query}`, {
      method: 'POST',
      body: signed.body,
    });
    await res.text();
    return res.status;
  }

  async function until<T>(what: string, find: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${what} never happened\n${world!.outputs()}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  const requestOf = (workflow: string, states: (s: string) => boolean) => async () =>
    (await world!.store.listRequests({ requester: 'alice', limit: 10 })).find(
      (r) => r.workflow === workflow && states(r.state),
    );

  it('runs a grant, an approval, an audit summary and a revoke, refusing forgeries, and leaks no secret anywhere', async () => {
    const w = world!;
    const config = loadConfig({ SGOPS_CONFIG: w.configPaths[0]! });
    const settings = secretSettings();
    // The schema walk finds the secrets everyone knows of, so it cannot silently find none.
    expect(settings.map((s) => s.path)).toEqual(
      expect.arrayContaining(['redis.url', 'database.url', 'kubernetes.token', 'console.tokens[].token']),
    );
    expect(settings.map((s) => s.path.split('.').at(-1))).toEqual(
      expect.arrayContaining([
        'secretKey',
        'signingSecret',
        'botToken',
        'corpSecret',
        'encodingAESKey',
        'key',
      ]),
    );
    // Every secret setting is configured in this run (a new one fails here until the test sets it).
    const unset = settings.filter(
      (s) => valuesAt(config, s.path).length === 0 && !(s.path in unsetOnPurpose),
    );
    expect(unset.map((s) => s.path)).toEqual([]);
    const configured = configuredSecrets(config, settings);
    expect(configured.map((s) => s.path)).toEqual(
      expect.arrayContaining(['redis.url (password)', 'database.url (password)']),
    );

    // Refused: a Slack request signed with another secret, a WeCom callback signed with another
    // token, and a console call with an unknown token.
    const slashCommand = new URLSearchParams({
      team_id: 'T0SGOPS',
      channel_id: 'C0DEV',
      user_id: 'U0ALICE',
      command: '/sgops',
      text: `grant pod SG to app ${app.app} in ${app.namespace}`,
      trigger_id: '1.forged',
      response_url: 'https://hooks.slack.com/commands/T0SGOPS/1/x',
    }).toString();
    expect(await slackPost(slashCommand, secret('notTheSigningSecret'))).toBe(401);
    const click = (taskId: string, eventKey: string, responseCode: string) =>
      weComCardClickXml({
        corpId: fakes!.wecom.corpId,
        fromUser: 'bob',
        eventKey,
        taskId,
        responseCode,
        agentId: fakes!.wecom.agentId,
      });
    expect(
      await wecomPost(click('task-forged', 'approve:R00000', 'rc'), secret('notTheToken')),
    ).toBeGreaterThanOrEqual(400);
    const wrongToken = await fetch(`${w.urls[0]}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret('notAConsoleToken')}` },
      body: JSON.stringify({ text: 'help' }),
    });
    expect(wrongToken.status).toBe(401);
    // WeCom's check of the callback URL.
    const verification = encryptWeComUrlVerification({
      token: fakes!.wecom.token,
      encodingAESKey: fakes!.wecom.encodingAESKey,
      corpId: fakes!.wecom.corpId,
      echo: 'echo-1234',
    });
    const verified = await fetch(`${w.urls[0]}/wecom/callback${verification}`);
    expect(await verified.text()).toBe('echo-1234');

    // Alice asks in Slack; Bob approves on his WeCom card.
    expect(await slackPost(slashCommand, fakes!.slack.signingSecret!)).toBe(200);
    const asked = await until(
      'the grant awaiting approval',
      requestOf('grant', (s) => s === 'awaitingApproval'),
    );
    const card = await until(
      'a WeCom card for bob',
      async () =>
        fakes!.wecomApi
          .calls()
          .map(
            (c) =>
              c.body as {
                touser?: string;
                template_card?: { task_id: string; button_list: { key: string }[] };
              },
          )
          .find(
            (b) => b.touser === 'bob' && b.template_card?.button_list.some((x) => x.key.endsWith(asked.id)),
          )?.template_card,
    );
    const approve = card.button_list.find((b) => b.key.startsWith('approve'))!.key;
    const responseCode = fakes!.wecomApi.responseCodeOf(card.task_id) ?? 'rc';
    expect(await wecomPost(click(card.task_id, approve, responseCode), fakes!.wecom.token)).toBe(200);
    const granted = await until(
      'the grant ending',
      requestOf('grant', (s) => terminalStates.has(s)),
    );
    expect(granted.state).toBe('done');

    // In the console: the audit summary, then the revoke.
    await w.say('alice', `audit ${granted.id}`);
    await w.say('alice', `revoke pod SG from app ${app.app} in ${app.namespace} because the test is over`);
    const revoked = await until(
      'the revoke ending',
      requestOf('revoke', (s) => terminalStates.has(s)),
    );
    expect(revoked.state).toBe('done');
    // The chat platforms were really used (with the bot token and the corp secret).
    expect(fakes!.slackApi.calls().length).toBeGreaterThan(0);
    expect(fakes!.wecomApi.calls().some((c) => c.path.includes('gettoken'))).toBe(true);

    // Not configured but secret all the same: the access tokens WeCom issued to sgops.
    const issued = fakes!.wecomApi
      .calls()
      .map((c) => c.response['access_token'])
      .filter((t): t is string => typeof t === 'string')
      .map((value) => ({ path: 'a WeCom access_token', value }));
    expect(issued.length).toBeGreaterThan(0);
    const secrets = [...configured, ...issued];

    // Prometheus scrapes with the metrics token; a scrape with another is refused.
    const scrape = (token: string) =>
      fetch(`${w.urls[0]}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect((await scrape(secret('notTheMetricsToken'))).status).toBe(401);
    const scraped = await scrape(metricsToken);
    expect(scraped.status).toBe(200);
    const metricsText = await scraped.text();

    const end = await w.processes[0]!.terminate(15_000);
    expect(end.code).toBe(0);

    const corpora = new Map<string, string>();
    w.processes.forEach((p, i) => corpora.set(`process ${i} output`, p.output()));
    corpora.set('/metrics', metricsText);
    await withSchemaClient(testDatabaseUrl, w.schema, async (client) => {
      const { rows } = await client.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1`,
        [w.schema],
      );
      for (const { table_name: table } of rows) {
        const dump = await client.query<{ rows: string }>(
          `select coalesce(json_agg(t), '[]')::text as rows from "${table}" t`,
        );
        corpora.set(`table ${table}`, dump.rows[0]!.rows);
      }
    });
    const cliEnv = { DATABASE_URL: databaseUrl, SGOPS_AUDIT_KEY: auditKey };
    corpora.set('sgops audit export', await sgopsCli(['audit', 'export', '--schema', w.schema], cliEnv));
    corpora.set(
      'sgops audit verify',
      await sgopsCli(
        ['audit', 'verify', '--schema', w.schema, '--checkpoint', path.join(scratch, 'audit-head.json')],
        cliEnv,
      ),
    );
    corpora.set('audit checkpoint file', await readFile(path.join(scratch, 'audit-head.json'), 'utf8'));

    const sizes = [...corpora].map(([name, text]) => `${name} ${text.length}`).join(', ');
    console.log(`searched ${secrets.length} secrets (${secrets.map((s) => s.path).join(', ')}) in ${sizes}`);
    // What was searched is real: debug lines, every audit row exported, and a verified chain.
    expect(corpora.get('process 0 output')).toContain('"level":20');
    expect(
      corpora
        .get('sgops audit export')!
        .split('\n')
        .filter((l) => l.startsWith('{')).length,
    ).toBe((await w.store.listAudit()).length);
    expect(corpora.get('sgops audit verify')).toMatch(/^exit 0/);
    // The search finds each secret where it is known to be: in the config file, plain and in base64.
    const configText = await readFile(w.configPaths[0]!, 'utf8');
    const control = new Map([
      ['config file', configText],
      ['config file as base64', Buffer.from(configText).toString('base64')],
    ]);
    const controlHits = findings(configured, control);
    for (const { path: where } of configured) {
      expect(controlHits.some((h) => h.startsWith(`${where} (plain) in config file:`))).toBe(true);
      expect(controlHits.some((h) => h.startsWith(`${where} (base64`))).toBe(true);
    }

    expect(findings(secrets, corpora)).toEqual([]);
  }, 180_000);
});
