/**
 * The stand-ins' holds over their admin API (see adapters/stand-ins/hold-registry.ts), for tests
 * that kill a process at an exact call: arm a hold, wait until it holds its call, let it go or
 * drop it. `adminUrl` is the emulator's or the simulator's `/_admin` base.
 */
interface HoldAnswer {
  id: string;
  state: string;
}

async function admin(adminUrl: string, path: string, method = 'GET', body?: unknown): Promise<HoldAnswer> {
  const res = await fetch(`${adminUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await res.json()) as HoldAnswer;
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Arms a hold (the emulator's { action, contains }, the simulator's { verb, resource, … }); its id. */
export async function armHold(adminUrl: string, spec: object): Promise<string> {
  return (await admin(adminUrl, '/holds', 'POST', spec)).id;
}

/** Resolves once the hold holds its call; throws with `explain()` appended when it never does. */
export async function heldWithin(
  adminUrl: string,
  id: string,
  timeoutMs: number,
  explain: () => Promise<string> | string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await admin(adminUrl, `/holds/${id}?waitMs=5000`)).state === 'held') return;
  }
  throw new Error(`hold ${id} held no call within ${timeoutMs} ms\n${await explain()}`);
}

/** Lets the held call go on, or drops it (its connection is cut; dropped before, it never applied). */
export async function releaseHold(adminUrl: string, id: string, how: 'go' | 'drop'): Promise<void> {
  await admin(adminUrl, `/holds/${id}/release`, 'POST', { drop: how === 'drop' });
}
