/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core; never a downloaded
 * one): alice asks for the grant, bob switches in and approves from the request view, the page
 * shows each step with its times and calls and the grant reaching `done` with both pods verified,
 * and carol, who reads 中文, revokes it from there. Screenshots at desktop and phone size go to
 * test-output/; any console error fails the test.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { haveChromium, launchChromium } from '../helpers/launch-chromium.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/http/start-http-server.ts';
import { startConsoleServer } from '../helpers/console-server.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const outputDir = path.resolve('test-output');
const token = 'bob-console-token-0123456789abcdefgh';
const line = 'grant pod SG to app my-app in my-namespace';

describe.skipIf(!haveChromium && !process.env.CI)('the console in a browser', () => {
  let world: TestWorld;
  let sandboxServer: HttpServer;
  let tokenServer: HttpServer;
  let browser: Browser;
  let url = '';

  beforeAll(async () => {
    world = await startTestWorld('console-browser');
    // The console as src/main.ts serves it, with the store for the request list and audit timeline;
    // once in the sandbox (the caller names the person), once outside it (a token names the person).
    const serve = (mode: 'sandbox' | 'token') =>
      startConsoleServer(world.app, samplePolicy.people, {
        mode,
        tokens: mode === 'token' ? [{ token, person: 'bob' }] : [],
      });
    sandboxServer = await serve('sandbox');
    tokenServer = await serve('token');
    url = sandboxServer.url;
    await mkdir(outputDir, { recursive: true });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    // The browser goes first: its open long-polls and streams would otherwise hold the server.
    await browser?.close();
    await tokenServer?.close();
    await sandboxServer?.close();
    await world?.stop();
  });

  const screenshot = async (page: Page, name: string, fullPage = false) => {
    const file = path.join(outputDir, name);
    await page.screenshot({ path: file, fullPage });
    console.log(`screenshot: ${file}`);
  };

  /** A page that records every console error and uncaught exception, for the test to assert none. */
  const openPage = async (options: Parameters<Browser['newPage']>[0]) => {
    const page = await browser.newPage(options);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    return { page, problems };
  };

  const say = async (page: Page, text: string) => {
    await page.fill('#line', text);
    await page.press('#line', 'Enter');
  };

  const cellsOf = (page: Page, selector: string) =>
    page
      .locator(selector)
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );

  it('lets alice ask, bob approve from the request view, and shows each step with its time and calls', async () => {
    const { page, problems } = await openPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);

    await expect.poll(() => page.locator('#person').inputValue()).toBe('alice');
    await say(page, line);

    // The request appears in the list as a grant and opens in the view as it is typed.
    const row = page.locator('#requests tbody tr').first();
    await row.waitFor({ timeout: 20_000 });
    const requestId = (await row.getAttribute('data-id'))!;
    expect(requestId).toMatch(/^[A-Z0-9]{4,}$/);
    expect(await row.locator('td').nth(1).textContent()).toBe('grant');
    await page
      .locator('#diagram [data-state="awaitingApproval"][data-status="current"]')
      .waitFor({ timeout: 20_000 });
    expect(await page.locator('.summary .id').textContent()).toBe(requestId);
    // Plain words for the state, its id on hover.
    const waiting = page.locator('.summary [title="awaitingApproval"]');
    expect(await waiting.textContent()).toBe('Awaiting approval');
    await expect
      .poll(() => page.locator('#diagram [data-state="planning"]').getAttribute('data-status'))
      .toBe('done');
    expect(await page.locator('#plan .changes li').count()).toBeGreaterThan(3);
    // Each planned command is a block to copy, without a markdown backtick.
    const command = await page.locator('#plan .changes .code code').first().textContent();
    expect(command).toMatch(/^(tccli|kubectl) /);
    expect(await page.locator('#plan').textContent()).not.toContain('`');
    // Of the other ways a request can end, none is shown before it takes one.
    expect(await page.locator('#diagram .flow.side li').count()).toBe(0);

    // Alice may cancel her own request but sees no Approve or Deny on it.
    await page.locator('#actions button[data-action="cancel"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#actions button').evaluateAll((b) => b.map((x) => x.dataset.action))).toEqual([
      'cancel',
    ]);

    // Bob switches in: the same view offers him Approve and Deny, and he approves there.
    await page.selectOption('#person', 'bob');
    const approve = page.locator('#actions button[data-action="approve"]');
    await approve.waitFor({ timeout: 20_000 });
    expect(await page.locator('#actions button').evaluateAll((b) => b.map((x) => x.dataset.action))).toEqual([
      'approve',
      'deny',
      'cancel',
    ]);
    await screenshot(page, 'console-1400-bob-awaiting.png');
    await approve.click();

    await page.locator('#diagram [data-state="done"][data-status="current"]').waitFor({ timeout: 60_000 });
    const mainPath = await page
      .locator('#diagram .flow.main li')
      .evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-state'), li.getAttribute('data-status')]),
      );
    expect(mainPath.map(([state]) => state)).toEqual([
      'planning',
      'awaitingApproval',
      'ensurePodSecurityGroup',
      'allowDns',
      'ensurePodGroupRules',
      'applyPolicy',
      'recreatePods',
      'verifying',
      'done',
    ]);
    expect(mainPath.slice(0, -1).every(([, status]) => status === 'done')).toBe(true);

    // Once done, the request view offers bob nothing (only a requester may open its revoke), and
    // his approval card in the chat is closed.
    await expect.poll(() => page.locator('#actions button').count()).toBe(0);
    const card = page.locator('#log .actions[data-request="' + requestId + '"]').first();
    await expect.poll(() => card.locator('button').first().isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await card.textContent()).toContain('Decided: Approved');

    // The verification table names both of the application's pods, each with the pod group.
    const verification = page.locator('#verification tbody tr');
    await expect.poll(() => verification.count(), { timeout: 10_000 }).toBe(2);
    const detail = (await (await fetch(`${url}/api/requests/${requestId}/view`)).json()) as {
      podGroupId: string;
    };
    expect(detail.podGroupId).toMatch(/^sg-/);
    const pods = await world.kube.core.listNamespacedPod({
      namespace: 'my-namespace',
      labelSelector: 'app=my-app',
    });
    const livePods = pods.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!);
    const rows = await cellsOf(page, '#verification tbody tr');
    expect(rows.map((r) => r[0]).sort()).toEqual(livePods.sort());
    for (const [, node, groups, result] of rows) {
      expect(node).not.toBe('—');
      expect(groups).toContain(detail.podGroupId);
      expect(result).toContain('ok');
    }

    // Each step ran in order with its times and duration; the calls behind it name who, what and
    // the cloud RequestId; bob's approval is a decision of its own between planning and the work.
    const steps = await page.locator('#steps > .step').evaluateAll((items) =>
      items.map((d) => ({
        step: d.getAttribute('data-step'),
        outcome: d.getAttribute('data-outcome'),
        name: d.querySelector('.step-name')?.textContent,
        duration: d.querySelector('.step-duration')?.textContent,
        times: d.querySelectorAll('.step-time time').length,
      })),
    );
    const ran = steps.map((s) => s.step);
    expect(ran.slice(0, 4)).toEqual(['', 'planning', '', 'ensurePodSecurityGroup']);
    expect(ran.indexOf('ensurePodSecurityGroup')).toBeLessThan(ran.indexOf('recreatePods'));
    expect(steps.find((s) => s.step === 'ensurePodGroupRules')?.name).toBe('Pod group rules');
    for (const s of steps) {
      expect(s.outcome, s.step).toBe('ok');
      expect(s.duration, s.step).toMatch(/^\d+(\.\d)? (ms|s)$|min/);
      expect(s.times, s.step).toBe(2);
    }
    const groupStep = page.locator('#steps > .step[data-step="ensurePodSecurityGroup"]');
    await groupStep.locator('summary').click();
    const calls = await cellsOf(page, '#steps > .step[data-step="ensurePodSecurityGroup"] tbody tr');
    const created = calls.find((r) => r[3] === 'CreateSecurityGroup');
    expect(created?.[2]).toBe('tencentcloud');
    expect(created?.[5]).toBe('ok');
    expect(created?.[7]).toMatch(/[0-9a-f-]{16,}/);
    const decisions = page.locator('#steps > .step[data-step=""]').nth(1);
    await decisions.locator('summary').click();
    expect(await decisions.locator('tbody').textContent()).toContain('bob');
    await screenshot(page, 'console-1400-done.png');

    // A reload keeps alice's conversation, her own line included, right before the bot's answer to it.
    await page.selectOption('#person', 'alice');
    await page.locator('#log .msg.me').first().waitFor({ timeout: 10_000 });
    await page.reload();
    await expect.poll(() => page.locator('#person').inputValue()).toBe('alice');
    const mine = page.locator('#log .msg.me').first();
    await mine.waitFor({ timeout: 10_000 });
    expect(await mine.textContent()).toContain(line);
    // Notices about her request may come before the answer to her line; the line itself comes
    // right before its answer.
    const said = await mine.getAttribute('data-message-id');
    expect(said).toBeTruthy();
    const next = page.locator('#log .msg.me + .msg').first();
    expect(await next.getAttribute('data-in-reply-to')).toBe(said);

    // The filter narrows the list by id, kind, app or person.
    await page.fill('#filter', requestId);
    await expect.poll(() => page.locator('#requests tbody tr').count()).toBe(1);
    await page.fill('#filter', 'revoke');
    await page.locator('#requests-none').waitFor();
    await page.fill('#filter', '');

    // Alice revokes the grant from its view: a revoke restarts pods, so it asks once more; the
    // revoke opens in the view as its own request, with its own diagram.
    await page.goto(`${url}/#${requestId}`);
    const revoke = page.locator('#actions button[data-action="revoke"]');
    await revoke.waitFor({ timeout: 20_000 });
    await revoke.click();
    await page.locator('#actions .confirm[data-action="revoke"] button.danger').click();
    await expect
      .poll(() => page.locator('.summary .id').textContent(), { timeout: 20_000 })
      .not.toBe(requestId);
    const revokeId = (await page.locator('.summary .id').textContent())!;
    await page.locator('#diagram [data-state="removePolicy"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.summary .verb').textContent()).toBe('revoke');
    await expect
      .poll(() => page.locator(`#requests tbody tr[data-id="${revokeId}"] td`).nth(1).textContent())
      .toBe('revoke');
    await page.locator('#diagram [data-state="done"][data-status="current"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'console-1400-revoke.png');
    expect(problems).toEqual([]);
    await page.close();

    // At phone width the panes stack and nothing runs off the side of the screen.
    const { page: phone, problems: phoneProblems } = await openPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await phone.goto(`${url}/#${requestId}`);
    await phone.locator('#diagram [data-state="done"][data-status="current"]').waitFor({ timeout: 20_000 });
    await phone.locator('#log .msg').first().waitFor({ timeout: 20_000 });
    const box = async (selector: string) => (await phone.locator(selector).boundingBox())!;
    const [chat, list, pane] = [
      await box('#chat-pane'),
      await box('#requests-pane'),
      await box('#detail-pane'),
    ];
    expect(list.y).toBeGreaterThanOrEqual(chat.y + chat.height);
    expect(pane.y).toBeGreaterThanOrEqual(list.y + list.height);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(phone, 'console-390x844.png');
    await phone.click('#jump button[data-pane="detail-pane"]');
    await screenshot(phone, 'console-390x844-detail.png');
    await screenshot(phone, 'console-390x844-full.png', true);
    expect(phoneProblems).toEqual([]);
    await phone.close();

    // Carol reads 中文: the page speaks it, with no English heading, the kinds and states in her words.
    for (const width of [1400, 390]) {
      const { page: carol, problems: carolProblems } = await openPage({ viewport: { width, height: 900 } });
      await carol.goto(`${url}/#${requestId}`);
      await carol.selectOption('#person', 'carol');
      await carol.locator('#diagram [data-state="done"][data-status="current"]').waitFor({ timeout: 20_000 });
      expect(await carol.locator('#requests tbody tr td:nth-child(2)').allTextContents()).toEqual([
        '撤销',
        '授权',
      ]);
      expect(await carol.evaluate('document.documentElement.lang')).toBe('zh-CN');
      const headings = await carol
        .locator('h1:visible, h2:visible, h3:visible, th:visible, button:visible, label:visible > span')
        .allTextContents();
      expect(
        headings.filter((h) =>
          /[A-Za-z]{3,}/.test(h.replace(/sgops|RequestId|Pod|ID|\b[A-Z0-9]{4,}\b/g, '')),
        ),
      ).toEqual([]);
      expect(await carol.locator('.summary [title="done"]').textContent()).toBe('已完成');
      await screenshot(carol, `console-${width}-carol-zh.png`, width === 390);
      expect(carolProblems).toEqual([]);
      await carol.close();
    }
  }, 180_000);

  it('lets bob deny from the request view on a phone, with his reason, and closes his card', async () => {
    const { page, problems } = await openPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(url);
    await say(page, 'grant pod SG to app legacy-app in my-namespace');
    await page
      .locator('#diagram [data-state="awaitingApproval"][data-status="current"]')
      .waitFor({ timeout: 20_000 });
    const requestId = (await page.locator('.summary .id').textContent())!;

    // Bob's card's Deny takes him to the request view's reason box.
    await page.selectOption('#person', 'bob');
    await page
      .locator('#log')
      .getByRole('button', { name: `Deny ${requestId}` })
      .click();
    const reason = page.locator('#actions .confirm[data-action="deny"] input');
    await reason.waitFor({ timeout: 20_000 });
    await reason.fill('legacy-app runs on a normal node');
    await screenshot(page, 'console-390-deny-reason.png');
    await page.locator('#actions .confirm[data-action="deny"] button[type="submit"]').click();

    await page.locator('#diagram [data-state="denied"][data-status="current"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#detail .facts').first().textContent()).toContain(
      'bob: “legacy-app runs on a normal node”',
    );
    // The side end it took is drawn; the others are not.
    expect(
      await page
        .locator('#diagram .flow.side li')
        .evaluateAll((l) => l.map((x) => x.getAttribute('data-state'))),
    ).toEqual(['denied']);
    await expect.poll(() => page.locator('#actions button').count()).toBe(0);
    const card = page.locator(`#log .actions[data-request="${requestId}"]`).first();
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('Decided: Denied');
    expect(await card.locator('button').first().isDisabled()).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-390-denied.png', true);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('asks for an access token outside the sandbox, and works once one is given', async () => {
    const base = tokenServer.url;
    for (const route of [
      '/api/people',
      '/api/requests',
      '/api/workflows/grant',
      '/api/events',
      '/api/messages',
    ])
      expect((await fetch(`${base}${route}`)).status, route).toBe(401);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base);
    await page.locator('#token-gate').waitFor();
    expect(await page.locator('#layout').isHidden()).toBe(true);
    await page.fill('#token', 'not-the-token-000000000000000000');
    await page.click('#token-gate button');
    await page.locator('#token-error').waitFor();
    expect(await page.locator('#token-error').textContent()).toContain('refused');

    await page.fill('#token', token);
    await page.click('#token-gate button');
    await page.locator('#layout').waitFor();
    expect(await page.locator('#person option').allTextContents()).toEqual(['Bob (bob)']);
    await page.locator('#requests tbody tr').first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate("sessionStorage.getItem('sgops.console.token')")).toBe(token);
    await screenshot(page, 'console-token-1280x800.png');
    await page.close();
  }, 60_000);
});
