/**
 * Request ids are typed by people into `approve <id>`, so they are short and avoid
 * look-alikes: no 0/O, no 1/I/L. Newly made ids have 4 characters after the `R`; longer
 * (and the 3-character ids of early examples) are accepted so the length can grow later.
 */
export const requestIdAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const requestIdLength = 4;

const requestIdPattern = new RegExp(`^R[${requestIdAlphabet}]{3,8}$`);

/**
 * A fresh id from `random` (values in [0, 1), like Math.random). Ids are not unique by
 * construction: the caller retries with a new id when the store already has it.
 */
export function newRequestId(random: () => number): string {
  let id = 'R';
  for (let i = 0; i < requestIdLength; i += 1) {
    const r = random();
    // Clamp so a misbehaving source (1, negative, NaN) still yields an alphabet character.
    const safe = Number.isFinite(r) ? Math.min(Math.max(r, 0), 0.999999999) : 0;
    id += requestIdAlphabet[Math.floor(safe * requestIdAlphabet.length)];
  }
  return id;
}

/** The canonical (upper-case) form, or null when the input is no request id. Accepts `#R7K2P`. */
export function normaliseRequestId(input: string): string | null {
  if (typeof input !== 'string') return null;
  const candidate = input.trim().replace(/^#/, '').toUpperCase();
  return requestIdPattern.test(candidate) ? candidate : null;
}

/** Case-insensitive: `r7k2p` is the request R7K2P. */
export function isRequestId(input: string): boolean {
  return normaliseRequestId(input) !== null;
}
