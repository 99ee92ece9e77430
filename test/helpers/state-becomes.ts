/** Waits on the engine's own view of a request, as the tests that drive it from outside read it. */
import type { TestWorld } from './test-world.ts';

/** The state `requestId` reaches among `states`, polled every 100 ms; throws with the state it is in at the deadline. */
export async function stateBecomes(
  world: Pick<TestWorld, 'app'>,
  requestId: string,
  states: readonly string[],
  timeoutMs = 45_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await world.app.engine.read(requestId);
    if (view && states.includes(view.state)) return view.state;
    if (Date.now() > deadline)
      throw new Error(`request ${requestId} is ${view?.state}, not ${states.join('|')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
