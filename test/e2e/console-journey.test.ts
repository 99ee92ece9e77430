/**
 * The console's first hour, in Debian's Chromium (playwright-core, never a downloaded browser)
 * against a real `sgops sandbox` process on its own state directory and ports: alice's newcomer
 * mistakes answered without opening anything; her grant approved by bob from the request view
 * while the view shows the pods restarting one by one; her revoke with its own diagram; and
 * carol, who reads 中文, approving dave's grant in a page with no English heading. Screenshots at
 * desktop and phone size go to test-output/console-journey/; any browser console error fails.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { haveChromium, launchChromium } from '../helpers/launch-chromium.ts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../src/sandbox/sandbox-file.ts';
import { spawnSandbox } from '../helpers/spawn-sandbox.ts';

const outputDir = path.resolve('test-output/console-journey');
const line = 'grant pod SG to app my-app in my-namespace';
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
/** Long enough per new pod for a live view (which looks every second) to see each one come up. */
const podStartMs = 2500;

interface PodRow {
  pod: string;
  phase: string;
  group: string;
}

describe.skipIf(!haveChromium && !process.env.CI)('the console journey against a sandbox process', () => {
  let stateDir = '';
  let child: ChildProcess | undefined;
  let info: SandboxInfo;
  let browser: Browser;
  let url = '';
  let grantId = '';

  /** A POST to the Kubernetes simulator's admin API, trusting the sandbox's own CA. */
  const simulatorAdmin = async (route: string, body: unknown) => {
    const kubeconfig = parseYaml(await readFile(info.kubernetes.kubeconfig, 'utf8')) as {
      clusters: { cluster: { 'certificate-authority-data': string } }[];
    };
    const ca = Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data'], 'base64');
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(`${info.kubernetes.adminUrl}${route}`, { method: 'POST', ca }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    expect(status).toBe(200);
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sgops-journey-'));
    // Its own process group, so afterAll can end all of it (the bot and its private redis-server).
    child = (await spawnSandbox(stateDir, { detached: true })).child;
    info = JSON.parse(await readFile(path.join(stateDir, 'sandbox.json'), 'utf8')) as SandboxInfo;
    url = info.console.url;
    await simulatorAdmin('/kubelet', { startLatencyMs: podStartMs });
    await rm(outputDir, { recursive: true, force: true });
    await mkdir(outputDir, { recursive: true });
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    // The browser goes first: its open streams would otherwise hold the console.
    await browser?.close();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGINT');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 20_000)),
      ]);
      if (!stopped) {
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
      }
    }
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  }, 40_000);

  /** A browser context with its own storage, its page, and every console error or page error it had. */
  const open = async (viewport: { width: number; height: number }, locale = 'en-US') => {
    const context: BrowserContext = await browser.newContext({
      viewport,
      locale,
      ...(viewport.width < 500 ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    return { context, page, problems };
  };

  const screenshot = async (page: Page, name: string, fullPage = true) => {
    await page.screenshot({ path: path.join(outputDir, name), fullPage });
  };

  const replies = (page: Page) => page.locator('#log .msg:not(.me)');

  /** Says `text` as the chosen person and answers the bot's reply to it. */
  const say = async (page: Page, text: string) => {
    const before = await replies(page).count();
    await page.fill('#line', text);
    await page.press('#line', 'Enter');
    await expect.poll(() => replies(page).count(), { timeout: 30_000 }).toBeGreaterThan(before);
    return (await replies(page).last().textContent()) ?? '';
  };

  const asPerson = async (page: Page, person: string) => {
    await page.selectOption('#person', person);
    await expect.poll(() => page.locator('#person').inputValue()).toBe(person);
  };

  const requestIds = async () =>
    ((await (await fetch(`${url}/api/requests`)).json()) as { requests: { id: string }[] }).requests.map(
      (r) => r.id,
    );

  const stateOf = (page: Page, state: string, status: string) =>
    page.locator(`#diagram [data-state="${state}"][data-status="${status}"]`);

  /**
   * Records, until the request in view is done, every distinct set of rows its live pod table
   * showed; `shot` names the picture taken while one pod has the group and another has not.
   */
  const watchPods = async (page: Page, shot: string) => {
    const seen: PodRow[][] = [];
    const keys = new Set<string>();
    let taken = false;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const rows = await page
        .locator('#live-pods tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => ({ pod: tr.dataset.pod!, phase: tr.dataset.phase!, group: tr.dataset.group! })),
        );
      const key = JSON.stringify(rows);
      if (rows.length > 0 && !keys.has(key)) {
        keys.add(key);
        seen.push(rows);
      }
      if (!taken && rows.some((r) => r.group === 'true') && rows.some((r) => r.group === 'false')) {
        taken = true;
        await page.locator('#live-pods').scrollIntoViewIfNeeded();
        await screenshot(page, shot, false);
      }
      if (await stateOf(page, 'done', 'current').count()) break;
      await page.waitForTimeout(150);
    }
    await stateOf(page, 'done', 'current').waitFor({ timeout: 1000 });
    return seen;
  };

  /**
   * The pods were seen restarting one by one: one with the group while another was still without,
   * and a new pod on its way up — with the group for a grant (`newPods` true), without for a revoke.
   */
  const expectPodByPod = (seen: PodRow[][], newPods: 'true' | 'false') => {
    expect(seen.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
    const mixed = seen.filter(
      (rows) => rows.some((r) => r.group === 'true') && rows.some((r) => r.group === 'false'),
    );
    expect(mixed.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(1);
    expect(
      seen.flat().some((r) => r.group === newPods && r.phase !== 'running'),
      JSON.stringify(seen),
    ).toBe(true);
    const names = new Set(seen.flat().map((r) => r.pod));
    expect(names.size, JSON.stringify(seen)).toBeGreaterThanOrEqual(4);
  };

  /** Each step, once done, with its duration and its calls, in the page's words. */
  const expectStepsTimed = async (page: Page) => {
    const steps = await page.locator('#steps > .step').evaluateAll((items) =>
      items.map((d) => ({
        step: d.getAttribute('data-step'),
        outcome: d.getAttribute('data-outcome'),
        duration: d.querySelector('.step-duration')?.textContent ?? '',
        calls: d.querySelectorAll('tbody tr').length,
      })),
    );
    const ran = steps.map((s) => s.step);
    for (const step of ['planning', 'ensurePodSecurityGroup', 'recreatePods', 'verifying'])
      expect(ran, step).toContain(step);
    for (const s of steps) {
      expect(s.outcome, s.step!).toBe('ok');
      expect(s.duration, s.step!).toMatch(/^\d+(\.\d)? (ms|s)$|min/);
      expect(s.calls, s.step!).toBeGreaterThan(0);
    }
    const restart = page.locator('#steps > .step[data-step="recreatePods"]');
    await restart.locator('summary').click();
    expect(await restart.locator('tbody').textContent()).toMatch(/patch deployments/);
  };

  /** The same request at another width (a phone's unless told): nothing off the side. */
  const phoneShot = async (id: string, person: string, name: string, locale = 'en-US', size = phone) => {
    const { context, page, problems } = await open(size, locale);
    await page.goto(`${url}/#${id}`);
    await asPerson(page, person);
    await page.locator(`#detail .summary .id`).waitFor({ timeout: 20_000 });
    await page.locator('#diagram').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(size.width);
    if (size === phone) await page.click('#jump button[data-pane="detail-pane"]');
    await screenshot(page, name, false);
    await screenshot(page, name.replace('.png', '-full.png'));
    expect(problems).toEqual([]);
    await context.close();
  };

  it('answers alice’s three newcomer mistakes helpfully and opens no request for any of them', async () => {
    const { context, page, problems } = await open(desktop);
    await page.goto(url);
    await asPerson(page, 'alice');
    await page.locator('#requests-empty').waitFor();
    const before = await requestIds();
    expect(before).toEqual([]);

    const typo = await say(page, 'grant pod SG to app my-ap in my-namespace');
    expect(typo).toContain('labelled app=my-ap, so nothing was requested');
    expect(typo).toContain('Did you mean:');
    // The line to type is a block to copy, with no markdown backtick.
    expect(await replies(page).last().locator('.code code').allTextContents()).toEqual([line]);
    expect(typo).not.toContain('`');

    const namespace = await say(page, 'grant pod SG to app my-app in no-such-ns');
    expect(namespace).toContain(
      'There is no namespace no-such-ns in cls-sandbox1, so nothing was requested.',
    );

    const verb = await say(page, 'grnat pod SG to app my-app in my-namespace');
    expect(verb).toContain("I don't know the command “grnat”");
    expect(await replies(page).last().locator('code').allTextContents()).toContain(line);

    // Nothing opened: not in the list, not in the page, no request view.
    expect(await requestIds()).toEqual(before);
    expect(await page.locator('#requests tbody tr').count()).toBe(0);
    expect(await page.locator('#requests-empty').isVisible()).toBe(true);
    expect(await page.locator('#log .msg button[title^="R"]').count()).toBe(0);
    await screenshot(page, 'alice-mistakes-1280.png', false);

    // At phone width, in the same browser: her lines come back with the answers.
    await page.setViewportSize(phone);
    await page.reload();
    await replies(page).nth(2).waitFor({ timeout: 20_000 });
    expect(await page.locator('#log .msg.me').count()).toBe(3);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
    await screenshot(page, 'alice-mistakes-390.png');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('lets alice grant, bob approve from the request view, and shows the pods restart one by one', async () => {
    const { context, page, problems } = await open(desktop);
    await page.goto(url);
    await asPerson(page, 'alice');
    await say(page, line);
    // The new request opens in the view as it is typed.
    await stateOf(page, 'awaitingApproval', 'current').waitFor({ timeout: 30_000 });
    grantId = (await page.locator('#detail .summary .id').textContent())!;
    expect(await requestIds()).toEqual([grantId]);

    await asPerson(page, 'bob');
    await page.locator('#actions button[data-action="approve"]').waitFor({ timeout: 20_000 });
    await screenshot(page, 'bob-awaiting-1280.png', false);
    await page.locator('#actions button[data-action="approve"]').click();
    expectPodByPod(await watchPods(page, 'bob-pods-restarting-1280.png'), 'true');

    // Done: the live table gives way to the verification, every pod with the group.
    expect(await page.locator('#live-pods').count()).toBe(0);
    const verdicts = await page.locator('#verification tbody tr td:last-child').allTextContents();
    expect(verdicts).toHaveLength(2);
    for (const v of verdicts) expect(v).toContain('ok');
    await expectStepsTimed(page);
    await screenshot(page, 'bob-done-1280.png');
    expect(problems).toEqual([]);
    await context.close();
    await phoneShot(grantId, 'bob', 'bob-done-390.png');
  }, 120_000);

  it('opens alice’s revoke of the grant from its view on a phone, with the revoke’s own diagram', async () => {
    const { context, page, problems } = await open(phone);
    await page.goto(`${url}/#${grantId}`);
    await asPerson(page, 'alice');
    await page.locator('#actions button[data-action="revoke"]').click({ timeout: 20_000 });
    await page.locator('#actions .confirm[data-action="revoke"] button.danger').click();
    await expect
      .poll(() => page.locator('#detail .summary .id').textContent(), { timeout: 20_000 })
      .not.toBe(grantId);
    const revokeId = (await page.locator('#detail .summary .id').textContent())!;
    expect(await requestIds()).toEqual([revokeId, grantId]);
    // Its pods restart too: new ones come up without the group while old ones still carry it.
    expectPodByPod(await watchPods(page, 'alice-revoke-pods-restarting-390.png'), 'false');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
    const states = await page
      .locator('#diagram .flow.main li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-state')));
    expect(states).toEqual([
      'planning',
      'removePolicy',
      'recreatePods',
      'removeDnsRules',
      'removePodGroup',
      'done',
    ]);
    expect(await page.locator('#diagram [data-state="ensurePodSecurityGroup"]').count()).toBe(0);
    expect(await page.locator('#detail .summary .verb').textContent()).toBe('revoke');
    await screenshot(page, 'alice-revoke-390.png');
    expect(problems).toEqual([]);
    await context.close();
    await phoneShot(revokeId, 'alice', 'alice-revoke-1280.png', 'en-US', desktop);
  }, 90_000);

  it('lets carol, who reads 中文, approve dave’s grant in a page with no English heading', async () => {
    const { context, page, problems } = await open(desktop, 'zh-CN');
    await page.goto(url);
    await asPerson(page, 'dave');
    await say(page, line);
    await stateOf(page, 'awaitingApproval', 'current').waitFor({ timeout: 30_000 });
    const id = (await page.locator('#detail .summary .id').textContent())!;
    expect(id).not.toBe(grantId);

    await asPerson(page, 'carol');
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    // The page follows the person it speaks as (the policy's locale), the line it suggests too.
    expect(await page.locator('#hint code').textContent()).toBe(
      '授权 Pod 安全组 给 应用 my-app 在 my-namespace',
    );
    const approve = page.locator('#actions button[data-action="approve"]');
    await approve.waitFor({ timeout: 20_000 });
    expect(await approve.textContent()).toBe('批准');
    await approve.click();
    expectPodByPod(await watchPods(page, 'carol-pods-restarting-zh-1280.png'), 'true');
    await expectStepsTimed(page);

    // Headings, table headers, step and state names, buttons: all 中文 (ids, commands, names aside).
    const labels = await page
      .locator(
        [
          'h1:visible',
          'h2:visible',
          'h3:visible',
          'th:visible',
          'button:visible',
          'label:visible > span',
          '#diagram .name',
          '#steps .step-name',
          '#steps .step-calls',
          '#plan summary',
          '.summary .badge',
        ].join(', '),
      )
      .allTextContents();
    const english = labels.filter((text) =>
      /[A-Za-z]{3,}/.test(
        text.replace(/sgops|RequestId|Pod|ID|DNS|tccli|kubectl|Carol|Dave|Alice|Bob|\b[A-Z0-9]{4,}\b/g, ''),
      ),
    );
    expect(english).toEqual([]);
    expect(await page.locator('#detail .summary [title="done"]').textContent()).toBe('已完成');
    await screenshot(page, 'carol-done-zh-1280.png');
    expect(problems).toEqual([]);
    await context.close();
    await phoneShot(id, 'carol', 'carol-done-zh-390.png', 'zh-CN');
  }, 120_000);
});
