/**
 * One grant through the in-process console chat, as people would do it: alice asks, bob approves
 * once the plan awaits approval, and the request runs to an end state.
 */
import type { App } from '../../src/main.ts';
import { terminalStates } from './schema-reader.ts';
import { until } from '../../test/helpers/until.ts';

export interface SaidLine {
  /** The reply's text and kind, and the request it opened, if any. */
  text: string;
  kind: string;
  requestId: string | undefined;
}

/** Says a line and returns the bot's first answer to it, or null when none comes within `timeoutMs`. */
export async function sayAndHear(
  app: App,
  person: string,
  text: string,
  timeoutMs = 15_000,
): Promise<SaidLine | null> {
  const messageId = await app.console.say(person, text);
  try {
    const m = await app.console.waitFor((x) => x.inReplyTo === messageId, timeoutMs);
    return { text: m.text, kind: m.kind, requestId: m.requestId };
  } catch {
    return null;
  }
}

export async function grantOnce(
  app: App,
  target: { app: string; namespace: string },
  timeoutMs = 60_000,
): Promise<{ requestId: string; state: string }> {
  const opened = await sayAndHear(app, 'alice', `grant pod SG to app ${target.app} in ${target.namespace}`);
  if (!opened?.requestId)
    throw new Error(`the grant for ${target.app} opened no request: ${opened?.text ?? 'no answer'}`);
  const requestId = opened.requestId;
  const stateOf = async () => (await app.engine.read(requestId))?.state;
  const awaiting = await until(
    `${requestId} to await approval`,
    async () => {
      const s = await stateOf();
      return s === 'awaitingApproval' || (s && terminalStates.has(s)) ? s : undefined;
    },
    timeoutMs,
    20,
  );
  if (awaiting === 'awaitingApproval') await app.console.say('bob', `approve ${requestId}`);
  const state = await until(
    `${requestId} to end`,
    async () => {
      const s = await stateOf();
      return s && terminalStates.has(s) ? s : undefined;
    },
    timeoutMs,
    20,
  );
  return { requestId, state };
}
