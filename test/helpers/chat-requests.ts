/** Requests driven through the chat port as people would: alice asks, bob approves, both wait for the end. */
import { expect } from 'vitest';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import type { TestWorld } from './test-world.ts';

const ends = new Set(['result', 'error']);

/** Alice asks for a grant, bob approves the plan, and the request's last message comes back. */
export async function grantApproved(
  world: TestWorld,
  line: string,
  endTimeoutMs = 60_000,
  /** Who signs, in turn: bob (the namespace's approver), and erin too for orders-db. */
  approvers: readonly string[] = ['bob'],
): Promise<{ requestId: string; plan: ConsoleMessage; end: ConsoleMessage }> {
  const opened = await world.say('alice', line);
  expect(opened.requestId, opened.text).toBeDefined();
  const requestId = opened.requestId!;
  const plan = await world.waitFor(
    'alice',
    (m) => m.requestId === requestId && (m.kind === 'plan' || m.kind === 'error'),
  );
  if (plan.kind === 'error') return { requestId, plan, end: plan };
  for (const approver of approvers) await world.app.console.say(approver, `approve ${requestId}`);
  const end = await world.waitFor(
    'alice',
    (m) => m.requestId === requestId && ends.has(m.kind),
    endTimeoutMs,
  );
  return { requestId, plan, end };
}

/** An app granted in its namespace as above, with where its request ended (or its last message's kind). */
export async function appGranted(
  world: TestWorld,
  { app, namespace }: { app: string; namespace: string },
  endTimeoutMs = 60_000,
): Promise<{ app: string; namespace: string; requestId: string; state: string }> {
  const { requestId, end } = await grantApproved(
    world,
    `grant pod SG to app ${app} in ${namespace}`,
    endTimeoutMs,
  );
  return { app, namespace, requestId, state: end.state ?? end.kind };
}

/** Alice asks for a revoke (no approval) and its last message comes back. */
export async function revoked(
  world: TestWorld,
  line: string,
): Promise<{ requestId: string; opened: ConsoleMessage; end: ConsoleMessage }> {
  const opened = await world.say('alice', line);
  expect(opened.requestId, opened.text).toBeDefined();
  const requestId = opened.requestId!;
  const end = await world.waitFor('alice', (m) => m.requestId === requestId && ends.has(m.kind), 60_000);
  return { requestId, opened, end };
}
