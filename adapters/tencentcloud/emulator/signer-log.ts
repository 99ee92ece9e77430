import type { CallSigner } from './handle-api-request.ts';

/**
 * The latest counted calls in order, each with who signed it: the STS tests prove from it that
 * an exchange came first and the calls after it carried the temporary key and its token.
 */
export interface SignedCall extends CallSigner {
  action: string;
  at: string;
}

export class SignerLog {
  readonly #now: () => Date;
  readonly #keep: number;
  #calls: SignedCall[] = [];

  constructor(now: () => Date, keep = 1000) {
    this.#now = now;
    this.#keep = keep;
  }

  record(action: string, signer: CallSigner): void {
    this.#calls.push({ action, ...signer, at: this.#now().toISOString() });
    if (this.#calls.length > this.#keep) this.#calls.splice(0, this.#calls.length - this.#keep);
  }

  /** Puts back calls read from an earlier run's log, oldest first. */
  restore(calls: readonly SignedCall[]): void {
    this.#calls = calls.slice(-this.#keep).map((c) => ({ ...c }));
  }

  list(): SignedCall[] {
    return this.#calls.map((c) => ({ ...c }));
  }

  reset(): void {
    this.#calls = [];
  }
}
