/**
 * An explanation in the console, in a real browser (Debian's Chromium): after alice's grant, her
 * `explain … to sg-ordersdb tcp:3306` is drawn as a path — her pod, the egress rule that allowed it,
 * the database group's DROP rule that denied it — and its Start button says the offered grant line
 * as alice, which opens that request. carol reads the same in 中文. Screenshots go to test-output/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium } from '../helpers/launch-chromium.ts';
import type { HttpServer } from '../../src/http/start-http-server.ts';
import { startConsoleServer } from '../helpers/console-server.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const outputDir = path.resolve('test-output');
const question = 'explain app my-app in my-namespace to sg-ordersdb tcp:3306';
const offered = 'grant pod SG to app my-app in my-namespace allow tcp:3306 to sg-ordersdb';

describe.skipIf(!haveChromium && !process.env.CI)('an explanation in the console', () => {
  let world: TestWorld;
  let server: HttpServer;
  let browser: Browser;

  beforeAll(async () => {
    world = await startTestWorld('console-explain');
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    await stateBecomes(world, opened.requestId!, ['awaitingApproval']);
    await world.app.console.say('bob', `approve ${opened.requestId!}`);
    expect(await stateBecomes(world, opened.requestId!, ['done', 'failed', 'needsAttention'])).toBe('done');
    server = await startConsoleServer(world.app, samplePolicy.people, { mode: 'sandbox', tokens: [] });
    await mkdir(outputDir, { recursive: true });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await world?.stop();
  });

  const openAs = async (person: string, width: number, height: number) => {
    const page = await browser.newPage({ viewport: { width, height } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(server.url);
    await page.selectOption('#person', person);
    return { page, problems };
  };
  const ask = async (page: Page, text: string) => {
    await page.fill('#line', text);
    await page.press('#line', 'Enter');
  };

  it('draws the path with the deciding rules, and Start says the offered line as alice', async () => {
    const { page, problems } = await openAs('alice', 1280, 800);
    await ask(page, question);
    const denied = page.locator('#log .explain-path .path[data-verdict="deny"]').first();
    await denied.waitFor({ timeout: 20_000 });
    const chips = await denied.locator('.chip').allTextContents();
    expect(chips[0]).toMatch(/^my-deployment-/);
    expect(chips.find((c) => c.startsWith('egress:'))).toMatch(/#0 ACCEPT ALL ALL 0\.0\.0\.0\/0/);
    expect(chips.find((c) => c.startsWith('ingress:'))).toBe(
      'ingress: sg-ordersdb #1 DROP ALL ALL 0.0.0.0/0',
    );
    expect(await denied.locator('.chip.hop.deny').count()).toBe(1);
    // Two pods met the same rules: one path drawn.
    expect(await page.locator('#log .explain-path .path').count()).toBe(1);
    await page.screenshot({ path: path.join(outputDir, 'console-explain-1280.png') });
    const start = page.locator('#log .offers button').first();
    expect(await start.getAttribute('title')).toBe(offered);
    await start.click();
    // The line is alice's own, said as typed: the request opens in the view.
    await page.locator('#log .msg.me', { hasText: offered }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('.summary .id').textContent(), { timeout: 20_000 }).toMatch(/^R/);
    expect(problems).toEqual([]);
  });

  it('says it in 中文 to carol on a phone', async () => {
    const { page, problems } = await openAs('carol', 390, 844);
    await ask(page, '解释 应用 my-app 在 my-namespace 到 sg-ordersdb tcp:3306');
    const path0 = page.locator('#log .explain-path .path').first();
    await path0.waitFor({ timeout: 20_000 });
    const chips = await path0.locator('.chip').allTextContents();
    expect(chips.some((c) => c.startsWith('入站：') || c.startsWith('入站:'))).toBe(true);
    expect(await page.locator('#log .offers button').first().textContent()).toBe('发起');
    await page.screenshot({ path: path.join(outputDir, 'console-explain-390-zh.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
