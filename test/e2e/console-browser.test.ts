/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core; never a downloaded
 * one): alice asks for the grant, bob switches in and approves, and the page shows the workflow
 * reaching `done` with both pods verified. Screenshots at desktop and phone size go to test-output/.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/http/start-http-server.ts';
import { startConsoleServer } from '../helpers/console-server.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const executablePath = '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
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
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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

  it('lets alice ask, bob approve, and shows the grant reach done with both pods verified', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(url);

    await expect.poll(() => page.locator('#person').inputValue()).toBe('alice');
    await page.fill('#line', line);
    await page.press('#line', 'Enter');

    // The request appears in the list, is selected, and waits for approval on the diagram.
    const row = page.locator('#requests tbody tr').first();
    await row.waitFor({ timeout: 20_000 });
    const requestId = (await row.getAttribute('data-id'))!;
    expect(requestId).toMatch(/^[A-Z0-9]{4,}$/);
    await page
      .locator('#diagram [data-state="awaitingApproval"][data-status="current"]')
      .waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.locator('#diagram [data-state="planning"]').getAttribute('data-status'))
      .toBe('done');
    expect(await page.locator('#plan .changes li').count()).toBeGreaterThan(3);
    expect(await page.locator('#plan').textContent()).toContain('tccli vpc CreateSecurityGroup');

    // Bob switches in; his conversation holds the approval card.
    await page.selectOption('#person', 'bob');
    const approve = page.getByRole('button', { name: `Approve ${requestId}` });
    await approve.waitFor({ timeout: 20_000 });
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
    const rows = await verification.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(rows.map((r) => r[0]).sort()).toEqual(livePods.sort());
    for (const [, node, groups, result] of rows) {
      expect(node).not.toBe('—');
      expect(groups).toContain(detail.podGroupId);
      expect(result).toContain('ok');
    }

    // The audit timeline shows the cloud calls with their RequestIds.
    const audit = await page
      .locator('#audit tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    const created = audit.find((r) => r[2] === 'CreateSecurityGroup');
    expect(created?.[1]).toBe('tencentcloud');
    expect(created?.[4]).toBe('ok');
    expect(created?.[6]).toMatch(/[0-9a-f-]{16,}/);
    expect(audit.some((r) => r[1] === 'kubernetes')).toBe(true);

    await screenshot(page, 'console-1280x800.png');
    expect(problems).toEqual([]);
    await page.close();

    // At phone width the panes stack and nothing runs off the side of the screen.
    const phone = await browser.newPage({
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
    await phone.close();
  }, 120_000);

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
