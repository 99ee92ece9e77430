/**
 * Holds, for crash tests: the next API request matching a hold waits — `before` the simulator
 * applies it, or `after` it was applied (a 2xx answer) but before the answer goes out — until the
 * test releases it (`go`) or drops it (the connection is cut; a request dropped before was never
 * applied). A test can so kill its client at an exact instant instead of guessing with sleeps.
 */
export type HoldWhen = 'before' | 'after';
export type HoldRelease = 'go' | 'drop';

export interface HoldSpec {
  /** create, update, patch, delete, get, list. */
  verb: string;
  /** A plural (`deployments`), or with its subresource (`deployments/scale`). */
  resource: string;
  when: HoldWhen;
  /** Only requests in this namespace, and for this object name, when given. */
  namespace?: string;
  name?: string;
}

export interface HoldView extends HoldSpec {
  id: string;
  /** `armed` until a request matches; `held` while it waits; then how it was let go. */
  state: 'armed' | 'held' | 'released' | 'dropped';
}

export interface HeldRequest {
  verb: string;
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
}

interface Hold extends HoldView {
  caught: Promise<void>;
  onCaught: () => void;
  release?: (how: HoldRelease) => void;
}

const whens: readonly string[] = ['before', 'after'];

function matches(hold: HoldSpec, request: HeldRequest): boolean {
  return (
    hold.verb === request.verb &&
    hold.resource === request.resource &&
    (hold.namespace === undefined || hold.namespace === request.namespace) &&
    (hold.name === undefined || hold.name === request.name)
  );
}

export class CallHolds {
  private holds = new Map<string, Hold>();
  private next = 1;

  arm(spec: HoldSpec): HoldView {
    for (const field of ['verb', 'resource'] as const)
      if (typeof spec[field] !== 'string' || spec[field] === '')
        throw new RangeError(`a hold needs a ${field}`);
    if (!whens.includes(spec.when)) throw new RangeError('a hold is `before` or `after` its request');
    for (const field of ['namespace', 'name'] as const)
      if (spec[field] !== undefined && typeof spec[field] !== 'string')
        throw new RangeError(`${field} must be a string`);
    let onCaught = () => {};
    const caught = new Promise<void>((resolve) => (onCaught = resolve));
    const hold: Hold = {
      id: `hold-${this.next++}`,
      verb: spec.verb,
      resource: spec.resource,
      when: spec.when,
      ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
      ...(spec.name === undefined ? {} : { name: spec.name }),
      state: 'armed',
      caught,
      onCaught,
    };
    this.holds.set(hold.id, hold);
    return view(hold);
  }

  /** True when an armed hold would catch this request at `when` (nothing is caught yet). */
  wants(request: HeldRequest, when: HoldWhen): boolean {
    return [...this.holds.values()].some(
      (h) => h.state === 'armed' && h.when === when && matches(h, request),
    );
  }

  /** The wait this request must go through at `when`, or undefined when no armed hold matches it. */
  gate(request: HeldRequest, when: HoldWhen): Promise<HoldRelease> | undefined {
    const hold = [...this.holds.values()].find(
      (h) => h.state === 'armed' && h.when === when && matches(h, request),
    );
    if (!hold) return undefined;
    hold.state = 'held';
    const released = new Promise<HoldRelease>((resolve) => (hold.release = resolve));
    hold.onCaught();
    return released;
  }

  /** The hold once it holds a request, or as it is when `timeoutMs` ran out. */
  async waitUntilHeld(id: string, timeoutMs: number): Promise<HoldView> {
    const hold = this.get(id);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([hold.caught, late]);
    clearTimeout(timer);
    return view(hold);
  }

  release(id: string, how: HoldRelease): HoldView {
    const hold = this.get(id);
    if (hold.state !== 'held') throw new RangeError(`${id} holds no request (it is ${hold.state})`);
    hold.state = how === 'drop' ? 'dropped' : 'released';
    hold.release?.(how);
    return view(hold);
  }

  list(): HoldView[] {
    return [...this.holds.values()].map(view);
  }

  /** Forgets every hold; requests still held go on. */
  clear(): void {
    for (const hold of this.holds.values()) if (hold.state === 'held') hold.release?.('go');
    this.holds.clear();
  }

  private get(id: string): Hold {
    const hold = this.holds.get(id);
    if (!hold) throw new RangeError(`no hold ${id}`);
    return hold;
  }
}

function view(hold: Hold): HoldView {
  return {
    id: hold.id,
    verb: hold.verb,
    resource: hold.resource,
    when: hold.when,
    ...(hold.namespace === undefined ? {} : { namespace: hold.namespace }),
    ...(hold.name === undefined ? {} : { name: hold.name }),
    state: hold.state,
  };
}
