/**
 * `sgops` as a person runs it: `node bin/sgops.js …` in a child process, against the console of a
 * test world (SGOPS_CONSOLE_URL) where a sandbox would be. A grant followed by its approver
 * printed only "approved" and "done" (the chat tells only the requester of each step), `--json`
 * lines carried only what the text said, and every `--help` printed the global help.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTexts, stepLabel } from '../../src/chat/reply-texts.ts';
import { workStepNames } from '../../workflows/grant/types.ts';
import { revokeWorkStepNames } from '../../workflows/revoke/types.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { worldReaders } from '../helpers/world-readers.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** `sgops <args>` run from the repository: how it exited and what it printed. */
async function sgops(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/sgops.js', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** What `sgops say --follow` prints when a step of `workflow` starts, in English. */
const stepText = (workflow: string, id: string, step: string) =>
  replyTexts.en.stepStarted({ id, step: stepLabel('en', workflow, step) });

describe('sgops help, version and mistakes', () => {
  it('prints each command’s own help, mentioning its own options', async () => {
    const helps = {
      say: ['--as <person>', '--follow', '--json', 'steps', 'pods', 'groupIds', 'policyName', 'approvers'],
      start: ['SGOPS_CONFIG'],
      sandbox: ['--port <n>', '--reset'],
      audit: ['sgops audit verify', 'sgops audit export'],
    };
    for (const [command, mentions] of Object.entries(helps)) {
      const { code, stdout } = await sgops([command, '--help']);
      expect(code, command).toBe(0);
      // Its own usage, not the global list of commands.
      expect(stdout, command).toMatch(new RegExp(`^Usage:\\s+sgops ${command}`));
      expect(stdout, command).not.toContain('Commands:');
      for (const mention of mentions) expect(stdout, command).toContain(mention);
      // `sgops help <command>` says the same.
      expect((await sgops(['help', command])).stdout, command).toBe(stdout);
    }
    const global = await sgops(['--help']);
    expect(global.stdout).toContain('Commands:');
  });

  it('prints the package version with --version and -v', async () => {
    const { version } = JSON.parse(await readFile(new URL('package.json', `file://${repoRoot}`), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const { code, stdout, stderr } = await sgops([flag]);
      expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('answers an unknown flag with one plain line and the command’s usage, not the parser’s error', async () => {
    const unknown = await sgops(['say', '--as', 'alice', '--bogus', 'help']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    const [first, blank, usage] = unknown.stderr.split('\n');
    expect(first).toBe('sgops say: unknown option --bogus.');
    expect(blank).toBe('');
    expect(usage).toMatch(/^Usage: sgops say /);
    expect(unknown.stderr).not.toMatch(/ERR_PARSE_ARGS|positional argument|at .*\.js:\d+/);

    // Another command's flag is a mistake too, and a flag that needs a value says so.
    const foreign = await sgops(['sandbox', '--follow']);
    expect(foreign.stderr.split('\n')[0]).toBe('sgops sandbox: unknown option --follow.');
    expect(foreign.stderr).toContain('Usage: sgops sandbox');
    const bare = await sgops(['say', 'help', '--as']);
    expect(bare.stderr.split('\n')[0]).toBe('sgops say: --as needs a value.');
    const timeout = await sgops(['say', '--as', 'alice', '--timeout', 'soon', 'help']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr.split('\n')[0]).toBe('sgops say: --timeout soon is not a number of seconds.');
    const command = await sgops(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr.split('\n')[0]).toBe('sgops: unknown command "frobnicate".');
  });
});

describe('sgops say against a running console', () => {
  let world: TestWorld;
  let env: NodeJS.ProcessEnv = {};
  const { runApps } = worldReaders(() => world);
  /** `sgops say --as <person> <line> …` against the world's console. */
  const say = (person: string, line: string, ...flags: string[]) =>
    sgops(['say', '--as', person, line, '--timeout', '60', ...flags], env);
  const jsonLines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { text: string; kind: string; step?: string });

  beforeAll(async () => {
    world = await startTestWorld('sgops-cli', {
      workflow: { stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 600_000 },
      http: { host: '127.0.0.1', port: 0 },
      console: { mode: 'sandbox' },
    });
    await runApps(['cli-a', 'cli-b']);
    env = { SGOPS_CONSOLE_URL: world.app.httpUrl! };
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('prints every step of a grant to the approver who follows it, in order, and ends at done', async () => {
    const opened = await world.say('alice', 'grant pod SG to app cli-a in my-namespace');
    const id = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === id && m.kind === 'plan');

    const { code, stdout, stderr } = await say('bob', `approve ${id}`, '--follow');
    expect(code, stderr).toBe(0);
    const printed = stdout.split('\n\n').filter((t) => t.trim() !== '');
    const stepLines = printed.filter((t) => workStepNames.some((s) => t === stepText('grant', id, s)));
    expect(stepLines).toEqual(workStepNames.map((s) => stepText('grant', id, s)));
    // The approval first, the steps, and the result last.
    expect(printed[0]).toContain(`${id} approved by bob`);
    expect(printed.at(-1)).toMatch(new RegExp(`^${id} done: `));
    expect(printed.indexOf(stepLines.at(-1)!)).toBeLessThan(printed.length - 1);
  }, 120_000);

  it('prints every step of a grant to its requester with --follow --json, each once, with the step named', async () => {
    const following = say('alice', 'grant pod SG to app cli-b in my-namespace', '--follow', '--json');
    const card = await world.waitFor('bob', (m) => m.kind === 'approval' && m.text.includes('cli-b'));
    await world.say('bob', `approve ${card.requestId}`);
    const { code, stdout, stderr } = await following;
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    const id = card.requestId!;
    // Whether the chat announced a step to her or the follower read it from the view: once each, in order.
    const steps = lines.filter((l) => workStepNames.some((s) => l.text === stepText('grant', id, s)));
    expect(steps.map((l) => l.text)).toEqual(workStepNames.map((s) => stepText('grant', id, s)));
    for (const l of lines.filter((l) => l.step !== undefined))
      expect(l).toMatchObject({ kind: 'progress', requestId: id, text: stepText('grant', id, l.step!) });
    expect(lines.at(-1)).toMatchObject({ requestId: id, kind: 'result', state: 'done' });
  }, 120_000);

  it('prints each step of a revoke with --follow, the first one too', async () => {
    const { code, stdout, stderr } = await say(
      'alice',
      'revoke pod SG from app cli-b in my-namespace',
      '--follow',
    );
    expect(code, stderr).toBe(0);
    const id = /Request (R\w+) opened/.exec(stdout)?.[1];
    expect(id, stdout).toBeDefined();
    const printed = stdout.split('\n\n');
    expect(printed.filter((t) => revokeWorkStepNames.some((s) => t === stepText('revoke', id!, s)))).toEqual(
      revokeWorkStepNames.map((s) => stepText('revoke', id!, s)),
    );
  }, 120_000);

  it('gives a finished grant’s steps, pods, groups, policy and approvers as JSON fields', async () => {
    const requests = await world.app.store.listRequests({});
    const grant = requests.find(
      (r) => r.workflow === 'grant' && r.state === 'done' && JSON.stringify(r.spec).includes('cli-a'),
    )!;
    expect(grant).toBeDefined();
    const { code, stdout, stderr } = await say('alice', `status request ${grant.id}`, '--json');
    expect(code, stderr).toBe(0);
    const [line] = jsonLines(stdout);
    const view = (await world.app.engine.read(grant.id))!;
    const outputs = (view.context as { outputs: Record<string, Record<string, unknown>> }).outputs;
    const podGroupId = outputs.ensurePodSecurityGroup!.podGroupId as string;
    const pods = await worldReaders(() => world).pods('cli-a');

    // The fields scripts read before, as they were.
    expect(line).toMatchObject({
      kind: 'reply',
      requestId: grant.id,
      state: 'done',
      text: expect.stringContaining(grant.id),
    });
    expect(typeof line!.at).toBe('string');
    expect(line!.workflow).toBe('grant');
    const steps = line!.steps as {
      name: string;
      state: string;
      startedAt: string | null;
      endedAt: string | null;
      durationMs: number | null;
    }[];
    expect(steps.map((s) => s.name)).toEqual(expect.arrayContaining(['planning', ...workStepNames]));
    for (const name of ['planning', ...workStepNames])
      expect(steps.find((s) => s.name === name)?.state, name).toBe('done');
    // A step that made audited calls says when it ran and for how long.
    const ensured = steps.find((s) => s.name === 'ensurePodSecurityGroup')!;
    expect(ensured.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(ensured.endedAt!) - Date.parse(ensured.startedAt!)).toBe(ensured.durationMs);
    expect(line!.pods).toEqual(
      pods.map((p) =>
        expect.objectContaining({
          name: p.metadata!.name,
          node: p.spec!.nodeName,
          ok: true,
          groups: expect.arrayContaining([podGroupId]),
        }),
      ),
    );
    expect(line!.groupIds).toEqual([podGroupId]);
    expect(line!.policyName).toBe(outputs.applyPolicy!.policyName);
    // Approvers are people, named as the policy names them; nobody may still approve a finished grant.
    expect(line!.approvers).toEqual({
      signed: [{ id: 'bob', name: 'Bob', at: expect.any(String) }],
      mayApprove: [],
      sets: [
        {
          who: expect.stringContaining('my-namespace'),
          quorum: 1,
          signed: [{ id: 'bob', name: 'Bob' }],
          mayApprove: [],
        },
      ],
    });
  }, 60_000);

  it('names, as people, who may still approve a grant that waits for approval', async () => {
    const opened = await world.say('alice', 'grant pod SG to app cli-a in my-namespace');
    const id = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === id && m.kind === 'plan');
    const { code, stdout, stderr } = await say('alice', `status request ${id}`, '--json');
    expect(code, stderr).toBe(0);
    const [line] = jsonLines(stdout);
    const bobAndCarol = [
      { id: 'bob', name: 'Bob' },
      { id: 'carol', name: 'Carol' },
    ];
    expect(line!.approvers).toEqual({
      signed: [],
      mayApprove: bobAndCarol,
      sets: [
        { who: expect.stringContaining('my-namespace'), quorum: 1, signed: [], mayApprove: bobAndCarol },
      ],
    });
    await world.say('alice', `cancel ${id}`);
  }, 60_000);
});
