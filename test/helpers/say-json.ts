import { Writable } from 'node:stream';
import { runSay } from '../../src/cli/run-say.ts';
import type { WorkflowModule } from '../../workflows/index.ts';

/** One JSON line `sgops say --json` prints. */
export interface SaidLine {
  text: string;
  kind: string;
  requestId?: string;
  state?: string;
}

/** `sgops say --as <as> <line> --json [--follow]` against a console at `consoleUrl`: its exit code and JSON lines. */
export async function sayJson(
  consoleUrl: string,
  line: string,
  options: { as?: string; follow?: boolean; timeoutMs?: number; workflows?: readonly WorkflowModule[] } = {},
): Promise<{ code: number; lines: SaidLine[] }> {
  let printed = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  const code = await runSay({
    stateDir: '',
    consoleUrl,
    as: options.as ?? 'alice',
    line,
    json: true,
    follow: options.follow ?? false,
    timeoutMs: options.timeoutMs ?? 30_000,
    out,
    ...(options.workflows ? { workflows: options.workflows } : {}),
  });
  const lines = printed
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SaidLine);
  return { code, lines };
}
