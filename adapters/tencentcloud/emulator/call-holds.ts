/**
 * Holds, for crash tests: the next API call matching a hold waits — `before` the emulator applies
 * it, or `after` it was applied (successfully) but before the answer goes out — until the test
 * releases it (`go`) or drops it (the connection is cut; a call dropped before was never applied).
 * A test can so kill its client at an exact instant instead of guessing with sleeps.
 */
export type HoldWhen = 'before' | 'after';
export type HoldRelease = 'go' | 'drop';

export interface HoldSpec {
  /** The API action, e.g. `CreateSecurityGroup`. */
  action: string;
  when: HoldWhen;
  /** Only a call whose raw request body contains this text (a request id, a group id). */
  contains?: string;
}

export interface HoldView extends HoldSpec {
  id: string;
  /** `armed` until a call matches; `held` while it waits; then how it was let go. */
  state: 'armed' | 'held' | 'released' | 'dropped';
}

export interface HeldCall {
  action: string;
  body: string;
}

interface Hold extends HoldView {
  caught: Promise<void>;
  onCaught: () => void;
  release?: (how: HoldRelease) => void;
}

const whens: readonly string[] = ['before', 'after'];

export class CallHolds {
  #holds = new Map<string, Hold>();
  #next = 1;

  arm(spec: HoldSpec): HoldView {
    if (typeof spec.action !== 'string' || spec.action === '') throw new TypeError('a hold needs an action');
    if (!whens.includes(spec.when)) throw new TypeError('a hold is `before` or `after` its call');
    if (spec.contains !== undefined && typeof spec.contains !== 'string')
      throw new TypeError('contains must be a string');
    let onCaught = () => {};
    const caught = new Promise<void>((resolve) => (onCaught = resolve));
    const hold: Hold = {
      id: `hold-${this.#next++}`,
      action: spec.action,
      when: spec.when,
      ...(spec.contains === undefined ? {} : { contains: spec.contains }),
      state: 'armed',
      caught,
      onCaught,
    };
    this.#holds.set(hold.id, hold);
    return view(hold);
  }

  /** The wait this call must go through at `when`, or undefined when no armed hold matches it. */
  gate(call: HeldCall, when: HoldWhen): Promise<HoldRelease> | undefined {
    const hold = [...this.#holds.values()].find(
      (h) =>
        h.state === 'armed' &&
        h.when === when &&
        h.action === call.action &&
        (h.contains === undefined || call.body.includes(h.contains)),
    );
    if (!hold) return undefined;
    hold.state = 'held';
    const released = new Promise<HoldRelease>((resolve) => (hold.release = resolve));
    hold.onCaught();
    return released;
  }

  /** The hold once it holds a call, or as it is when `timeoutMs` ran out. */
  async waitUntilHeld(id: string, timeoutMs: number): Promise<HoldView> {
    const hold = this.#get(id);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([hold.caught, late]);
    clearTimeout(timer);
    return view(hold);
  }

  release(id: string, how: HoldRelease): HoldView {
    const hold = this.#get(id);
    if (hold.state !== 'held') throw new RangeError(`${id} holds no call (it is ${hold.state})`);
    hold.state = how === 'drop' ? 'dropped' : 'released';
    hold.release?.(how);
    return view(hold);
  }

  list(): HoldView[] {
    return [...this.#holds.values()].map(view);
  }

  /** Forgets every hold; calls still held go on. */
  clear(): void {
    for (const hold of this.#holds.values()) if (hold.state === 'held') hold.release?.('go');
    this.#holds.clear();
  }

  #get(id: string): Hold {
    const hold = this.#holds.get(id);
    if (!hold) throw new RangeError(`no hold ${id}`);
    return hold;
  }
}

function view(hold: Hold): HoldView {
  return {
    id: hold.id,
    action: hold.action,
    when: hold.when,
    ...(hold.contains === undefined ? {} : { contains: hold.contains }),
    state: hold.state,
  };
}
