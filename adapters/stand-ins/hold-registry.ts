/**
 * Holds, for crash tests, shared by the stand-ins: the next call matching a hold waits — `before`
 * the stand-in applies it, or `after` it was applied but before the answer goes out — until the
 * test releases it (`go`) or drops it (the connection is cut; a call dropped before was never
 * applied). A test can so kill its client at an exact instant instead of guessing with sleeps.
 * Each stand-in says what a hold names and which calls it catches (its `HoldRules`).
 */
export type HoldWhen = 'before' | 'after';
export type HoldRelease = 'go' | 'drop';

/** `armed` until a call matches; `held` while it waits; then how it was let go. */
export type HoldState = 'armed' | 'held' | 'released' | 'dropped';

export type HoldView<Spec> = Spec & { id: string; state: HoldState };

export interface HoldRules<Spec extends { when: HoldWhen }, Call> {
  /** What the stand-in calls what a hold catches, for error messages: `request`, `call`. */
  noun: string;
  /** The spec's own fields, copied without extras; throws a RangeError for a malformed one. */
  fields(spec: Spec): Omit<Spec, 'when'>;
  matches(spec: Spec, call: Call): boolean;
}

interface Hold<Spec> {
  id: string;
  spec: Spec;
  state: HoldState;
  caught: Promise<void>;
  onCaught: () => void;
  release?: (how: HoldRelease) => void;
}

const whens: readonly string[] = ['before', 'after'];

export class HoldRegistry<Spec extends { when: HoldWhen }, Call> {
  #holds = new Map<string, Hold<Spec>>();
  #next = 1;
  readonly #rules: HoldRules<Spec, Call>;

  constructor(rules: HoldRules<Spec, Call>) {
    this.#rules = rules;
  }

  arm(spec: Spec): HoldView<Spec> {
    const fields = this.#rules.fields(spec);
    if (!whens.includes(spec.when))
      throw new RangeError(`a hold is \`before\` or \`after\` its ${this.#rules.noun}`);
    let onCaught = () => {};
    const caught = new Promise<void>((resolve) => (onCaught = resolve));
    const hold: Hold<Spec> = {
      id: `hold-${this.#next++}`,
      spec: { ...fields, when: spec.when } as Spec,
      state: 'armed',
      caught,
      onCaught,
    };
    this.#holds.set(hold.id, hold);
    return view(hold);
  }

  /** True when an armed hold would catch this call at `when` (nothing is caught yet). */
  wants(call: Call, when: HoldWhen): boolean {
    return this.#armedFor(call, when) !== undefined;
  }

  /** The wait this call must go through at `when`, or undefined when no armed hold matches it. */
  gate(call: Call, when: HoldWhen): Promise<HoldRelease> | undefined {
    const hold = this.#armedFor(call, when);
    if (!hold) return undefined;
    hold.state = 'held';
    const released = new Promise<HoldRelease>((resolve) => (hold.release = resolve));
    hold.onCaught();
    return released;
  }

  /** The hold once it holds a call, or as it is when `timeoutMs` ran out. */
  async waitUntilHeld(id: string, timeoutMs: number): Promise<HoldView<Spec>> {
    const hold = this.#get(id);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([hold.caught, late]);
    clearTimeout(timer);
    return view(hold);
  }

  release(id: string, how: HoldRelease): HoldView<Spec> {
    const hold = this.#get(id);
    if (hold.state !== 'held')
      throw new RangeError(`${id} holds no ${this.#rules.noun} (it is ${hold.state})`);
    hold.state = how === 'drop' ? 'dropped' : 'released';
    hold.release?.(how);
    return view(hold);
  }

  list(): HoldView<Spec>[] {
    return [...this.#holds.values()].map(view);
  }

  /** Forgets every hold; calls still held go on. */
  clear(): void {
    for (const hold of this.#holds.values()) if (hold.state === 'held') hold.release?.('go');
    this.#holds.clear();
  }

  #armedFor(call: Call, when: HoldWhen): Hold<Spec> | undefined {
    return [...this.#holds.values()].find(
      (h) => h.state === 'armed' && h.spec.when === when && this.#rules.matches(h.spec, call),
    );
  }

  #get(id: string): Hold<Spec> {
    const hold = this.#holds.get(id);
    if (!hold) throw new RangeError(`no hold ${id}`);
    return hold;
  }
}

function view<Spec>(hold: Hold<Spec>): HoldView<Spec> {
  return { id: hold.id, ...hold.spec, state: hold.state };
}
