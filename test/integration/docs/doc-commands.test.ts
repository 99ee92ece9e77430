/**
 * Every chat line README.md and docs/user-guide.md tell people to type, typed in document order
 * into one real sandbox (`sgops sandbox`, driven with `sgops say` as a person would). A line the
 * sandbox answers with an error (an `error` message, a request that `failed`, or `say` itself
 * exiting non-zero) must be one the document predicts with a `# refused: …` comment, and a line
 * so marked must be refused. How lines are read from the documents is in ./doc-commands.ts.
 *
 * Request ids in the documents (R7K2, R8M3, R7K2P…) are examples. The first time the walk meets
 * one, it stands for the newest request the walk has opened that no earlier example id stands
 * for; from then on the same example id always means that request.
 */
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docCommands, fencedBlocks } from './doc-commands.ts';
import type { DocCommand } from './doc-commands.ts';
import { spawnSandbox } from '../../helpers/spawn-sandbox.ts';

const bin = path.resolve('bin/sgops.js');
const documents = ['README.md', 'docs/user-guide.md'];
const exampleId = /\bR(?=[0-9A-Z]*\d)[0-9A-Z]{3,7}\b/g;

interface Said {
  text: string;
  kind: string;
  requestId?: string;
  state?: string;
}

const readDocs = async () =>
  Promise.all(documents.map(async (file) => ({ file, markdown: await readFile(file, 'utf8') })));

describe('the chat lines the README and the user guide give', () => {
  it('are found: the walkthrough and an example block for every command', async () => {
    const docs = await readDocs();
    const commands = docs.flatMap(({ file, markdown }) => docCommands(file, markdown));
    expect(commands.filter((c) => c.at.startsWith('README.md')).length).toBeGreaterThanOrEqual(6);
    expect(commands.filter((c) => c.at.startsWith('docs/user-guide.md')).length).toBeGreaterThanOrEqual(40);
    expect(commands.find((c) => c.line === 'approve R7K2')).toMatchObject({ person: 'alice', refused: true });
  });

  it("name who types them: every example block of the user guide follows a '<!-- say as … -->'", async () => {
    const guide = await readFile('docs/user-guide.md', 'utf8');
    const unnamed = fencedBlocks('docs/user-guide.md', guide)
      .filter((b) => b.lang === 'text' && !b.speaker)
      .map((b) => b.at);
    expect(unnamed).toEqual([]);
  });
});

describe('the README and the user guide, typed into a sandbox', () => {
  let stateDir = '';
  let sandbox: ChildProcess;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sgops-docs-'));
    const started = await spawnSandbox(stateDir);
    sandbox = started.child;
  }, 150_000);

  afterAll(async () => {
    if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGKILL');
    await rm(stateDir, { recursive: true, force: true });
  });

  const say = (command: DocCommand, line: string) =>
    new Promise<{ messages: Said[]; failed: string | null }>((resolve) => {
      execFile(
        'node',
        [
          bin,
          'say',
          '--as',
          command.person,
          line,
          ...command.flags,
          '--json',
          '--timeout',
          '90',
          '--state-dir',
          stateDir,
        ],
        { timeout: 150_000 },
        (error, stdout, stderr) => {
          const messages = stdout
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as Said);
          resolve({ messages, failed: error ? `sgops say exited: ${stderr.trim() || error.message}` : null });
        },
      );
    });

  it('answers no line with an error the document did not predict', async () => {
    const docs = await readDocs();
    const opened: string[] = [];
    const meant = new Map<string, string>();
    const surprises: string[] = [];

    for (const command of docs.flatMap(({ file, markdown }) => docCommands(file, markdown))) {
      let unmapped = '';
      const line = command.line.replace(exampleId, (id) => {
        if (!meant.has(id)) {
          const taken = new Set(meant.values());
          const newest = [...opened].reverse().find((r) => !taken.has(r));
          if (newest) meant.set(id, newest);
          else unmapped = id;
        }
        return meant.get(id) ?? id;
      });
      if (unmapped) {
        surprises.push(
          `${command.at}: ${unmapped} stands for no request: the walk has opened none that is free`,
        );
        continue;
      }
      const { messages, failed } = await say(command, line);
      for (const m of messages) if (m.requestId && !opened.includes(m.requestId)) opened.push(m.requestId);
      const errors = messages.filter((m) => m.kind === 'error' || m.state === 'failed').map((m) => m.text);
      if (failed) errors.push(failed);
      const said = `${command.at} ${command.person}: ${line}`;
      // SGOPS_TEST_PRINT=1 shows the walk as a person would read it.
      if (process.env.SGOPS_TEST_PRINT)
        console.log(`${said}\n  → ${messages.map((m) => m.text.split('\n')[0]).join('\n  → ')}`);
      if (errors.length > 0 && !command.refused)
        surprises.push(
          `${said}\n  answered with an error the document does not predict:\n  ${errors[0]!.split('\n')[0]}`,
        );
      if (errors.length === 0 && command.refused)
        surprises.push(
          `${said}\n  is marked refused, but was answered: ${messages[0]?.text.split('\n')[0] ?? '(nothing)'}`,
        );
    }

    expect(surprises).toEqual([]);
  }, 900_000);
});
