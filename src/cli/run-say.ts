/**
 * `sgops say --as <person> "<line>"`: sends a line to the running sandbox's console API and prints
 * the bot's answer to it. A line that opens a request also waits for its plan; `--follow` keeps
 * printing the request's updates until it ends, with a line for each step it starts (read from
 * the request view: the chat tells only the requester of most steps); `--json` prints one JSON
 * object per message, with the request's facts (src/cli/request-facts.ts) when it is about one.
 */
import type { RequestDetail } from '../console/request-views.ts';
import type { Locale } from '../domain/locale.ts';
import { AppError } from '../errors.ts';
import { readSandboxFile } from '../sandbox/sandbox-file.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import type { WorkflowModule } from '../../workflows/workflow-module.ts';
import { phaseOf, restingStates } from '../../workflows/workflow-module.ts';
import { followSteps } from './follow-steps.ts';
import type { FollowSteps } from './follow-steps.ts';
import { requestFacts } from './request-facts.ts';
import type { RequestFacts } from './request-facts.ts';

interface Message {
  seq: number;
  text: string;
  kind: string;
  requestId?: string;
  state?: string;
  inReplyTo?: string;
  at: string;
  /** A step line the follower made from the request view, not a chat message. */
  step?: string;
  /** What the message says as data (an explanation's verdict, pods and hops). */
  facts?: Record<string, unknown>;
}

/** How often `--follow` looks at the request's steps while no message comes (ms). */
const stepPollMs = 1000;

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
  const workflows = args.workflows ?? workflowRegistry;
  const locale = args.follow ? await localeOf(person) : 'en';
  // Set by startFollowing (a closure: the cast keeps TypeScript from narrowing it to null).
  let steps = null as FollowSteps | null;

  /** The request as the console shows it to this person; null when it cannot (or will not) say. */
  const readView = async (id: string): Promise<{ detail: RequestDetail; context: unknown } | null> => {
    const who = encodeURIComponent(person);
    const [view, raw] = await Promise.all([
      http(`${base}/api/requests/${encodeURIComponent(id)}/view?as=${who}`, { headers }),
      http(`${base}/api/requests/${encodeURIComponent(id)}?as=${who}`, { headers }),
    ]).catch(() => [null, null]);
    if (!view?.ok) return null;
    const detail = (await view.json()) as RequestDetail;
    const context = raw?.ok ? ((await raw.json()) as { context?: unknown }).context : undefined;
    return { detail, context };
  };
  const factsOf = async (id: string): Promise<RequestFacts | null> => {
    const view = await readView(id);
    const workflow = view && workflows.find((w) => w.name === view.detail.request.workflow);
    if (!view || !workflow) return null;
    return requestFacts(view.detail, view.context, (state) => phaseOf(workflow, state) === 'working');
  };
  const print = async (m: Message) => {
    if (args.json) {
      const facts = m.requestId ? await factsOf(m.requestId) : null;
      args.out.write(
        `${JSON.stringify({ text: m.text, kind: m.kind, ...(m.requestId ? { requestId: m.requestId } : {}), ...(m.state ? { state: m.state } : {}), at: m.at, ...(m.step ? { step: m.step } : {}), ...m.facts, ...facts })}\n`,
      );
    } else {
      args.out.write(`${m.text}\n\n`);
    }
  };
  /** Prints a line for each step that started before `state` (all, without one) and has none yet. */
  const printOwedSteps = async (id: string, state?: string) => {
    if (!steps) return;
    const view = await readView(id);
    if (!view) return;
    for (const line of steps.owed(view.detail.statuses, state))
      await print({
        seq: 0,
        text: line.text,
        kind: 'progress',
        requestId: id,
        state: view.detail.state,
        step: line.step,
        at: new Date().toISOString(),
      });
  };
  /** Starts following `id`'s steps from where the answer (in `since`) found it. */
  const startFollowing = async (id: string, since: string | undefined) => {
    const view = await readView(id);
    const workflow = view && workflows.find((w) => w.name === view.detail.request.workflow);
    if (view && workflow) steps = followSteps(workflow, id, locale, view.detail.statuses, since);
  };

  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0 && !args.follow) break;
    const longest = steps ? stepPollMs : 20_000;
    const wait = Math.max(0, Math.min(longest, args.follow ? longest : remaining));
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
      if (direct && m.requestId && requestId === null && args.follow)
        await startFollowing(m.requestId, m.state);
      let step: string | null = null;
      if (steps && m.requestId) {
        // A message that says a step started: its line, unless the follower printed it already.
        step = steps.announcedBy(m.text);
        await printOwedSteps(m.requestId, step ?? m.state);
        if (step !== null && !steps.mark(step)) continue;
      }
      await print(step === null ? m : { ...m, step });
      answered = true;
      if (direct && m.requestId) {
        requestId = m.requestId;
        waitingForPlan = m.state === 'planning';
      } else if (aboutRequest && m.state !== 'planning') {
        waitingForPlan = false;
      }
      if (args.follow && m.state && endStates.has(m.state)) return 0;
    }
    if (steps && requestId) await printOwedSteps(requestId);
    if (answered && !waitingForPlan && !args.follow) return 0;
  }
  if (!answered) {
    throw new AppError('TIMEOUT', `No answer from the bot within ${Math.round(args.timeoutMs / 1000)} s.`, {
      hint: 'Look at the sandbox log (see sandbox.json: logFile).',
    });
  }
  return 0;

  /** The person's language, as the console knows it (steps are worded as their messages are). */
  async function localeOf(who: string): Promise<Locale> {
    const res = await http(`${base}/api/people`, { headers }).catch(() => null);
    const people = res?.ok
      ? ((await res.json()) as { people?: { id: string; locale?: string }[] }).people
      : [];
    return people?.find((p) => p.id === who)?.locale === 'zh' ? 'zh' : 'en';
  }
}
