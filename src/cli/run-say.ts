/**
 * `sgops say --as <person> "<line>"`: sends a line to the running sandbox's console API and prints
 * the bot's answer to it. A line that opens a request also waits for its plan; `--follow` keeps
 * printing the request's updates until it ends; `--json` prints one JSON object per message.
 */
import { AppError } from '../errors.ts';
import { readSandboxFile } from '../sandbox/sandbox-file.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import type { WorkflowModule } from '../../workflows/workflow-module.ts';
import { restingStates } from '../../workflows/workflow-module.ts';

interface Message {
  seq: number;
  text: string;
  kind: string;
  requestId?: string;
  state?: string;
  inReplyTo?: string;
  at: string;
}

export interface SayArgs {
  stateDir: string;
  as?: string;
  line: string;
  json: boolean;
  follow: boolean;
  timeoutMs: number;
  token?: string;
  consoleUrl?: string;
  out: NodeJS.WritableStream;
  fetch?: typeof fetch;
  /** The workflows whose resting states end `--follow` (default: workflows/index.ts, as the bot runs). */
  workflows?: readonly WorkflowModule[];
}

export async function runSay(args: SayArgs): Promise<number> {
  const http = args.fetch ?? fetch;
  // `--follow` ends once the request comes to rest: a state its workflow calls ok or failed.
  const endStates = restingStates(args.workflows ?? workflowRegistry);
  const base = args.consoleUrl ?? (await readSandboxFile(args.stateDir)).console.url;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (args.token) headers.authorization = `Bearer ${args.token}`;
  if (!args.token && !args.as) {
    throw new AppError('COMMAND_INVALID', 'Say who is speaking with --as <person> (e.g. --as alice).');
  }

  const said = await http(`${base}/api/say`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ as: args.as, text: args.line }),
  }).catch((error: unknown) => {
    throw new AppError('NETWORK', `The sandbox console at ${base} did not answer (${String(error)}).`, {
      hint: 'Is the sandbox still running? Start it with `npm run sandbox`.',
    });
  });
  const body = (await said.json()) as {
    messageId?: string;
    person?: string;
    cursor?: number;
    error?: string;
  };
  if (!said.ok || !body.messageId)
    throw new AppError(
      'COMMAND_INVALID',
      body.error ?? `The console refused the line (HTTP ${said.status}).`,
    );
  const person = body.person ?? args.as ?? '';

  let cursor = body.cursor ?? 0;
  let requestId: string | null = null;
  let answered = false;
  let waitingForPlan = false;
  const deadline = Date.now() + args.timeoutMs;
  const print = (m: Message) => {
    if (args.json) {
      args.out.write(
        `${JSON.stringify({ text: m.text, kind: m.kind, ...(m.requestId ? { requestId: m.requestId } : {}), ...(m.state ? { state: m.state } : {}), at: m.at })}\n`,
      );
    } else {
      args.out.write(`${m.text}\n\n`);
    }
  };

  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0 && !args.follow) break;
    const wait = Math.max(0, Math.min(20_000, args.follow ? 20_000 : remaining));
    const res = await http(
      `${base}/api/messages?as=${encodeURIComponent(person)}&after=${cursor}&wait=${wait}`,
      { headers },
    );
    const page = (await res.json()) as { messages: Message[]; cursor: number };
    cursor = page.cursor;
    for (const m of page.messages) {
      const direct = m.inReplyTo === body.messageId;
      const aboutRequest = requestId !== null && m.requestId === requestId;
      if (!direct && !aboutRequest) continue;
      print(m);
      answered = true;
      if (direct && m.requestId) {
        requestId = m.requestId;
        waitingForPlan = m.state === 'planning';
      } else if (aboutRequest && m.state !== 'planning') {
        waitingForPlan = false;
      }
      if (args.follow && m.state && endStates.has(m.state)) return 0;
    }
    if (answered && !waitingForPlan && !args.follow) return 0;
  }
  if (!answered) {
    throw new AppError('TIMEOUT', `No answer from the bot within ${Math.round(args.timeoutMs / 1000)} s.`, {
      hint: 'Look at the sandbox log (see sandbox.json: logFile).',
    });
  }
  return 0;
}
