/** The grammar's bounds for `for <duration>`; a policy's `maxDuration` narrows the upper one. */
export const minDurationMs = 1000;
export const maxDurationMs = 90 * 24 * 60 * 60 * 1000;

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** Unit words, English and Chinese, longest first so `minutes` is not read as `m` + `inutes`. */
const units: readonly (readonly [string, number])[] = [
  ['seconds', second],
  ['second', second],
  ['secs', second],
  ['sec', second],
  ['s', second],
  ['minutes', minute],
  ['minute', minute],
  ['mins', minute],
  ['min', minute],
  ['m', minute],
  ['hours', hour],
  ['hour', hour],
  ['hrs', hour],
  ['hr', hour],
  ['h', hour],
  ['days', day],
  ['day', day],
  ['d', day],
  ['秒钟', second],
  ['秒', second],
  ['分钟', minute],
  ['分', minute],
  ['个小时', hour],
  ['小时', hour],
  ['天', day],
  ['日', day],
];

/**
 * Milliseconds for `30m`, `8h`, `2d`, `90s`, `1h30m`, `8 hours`, `8小时`, `1小时30分钟`
 * (case and spacing ignored), or null when it is no such duration or lies outside
 * 1 second … 90 days. Parts must go from larger to smaller units, each unit once, so a line
 * like `1m1h` is refused rather than guessed at.
 */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string') return null;
  const compact = text.replace(/\s+/g, '').toLowerCase();
  if (compact === '' || compact.length > 40) return null;
  let total = 0;
  let i = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  while (i < compact.length) {
    const digits = /^\d{1,7}/.exec(compact.slice(i))?.[0];
    if (digits === undefined) return null;
    i += digits.length;
    const unit = units.find(([word]) => compact.startsWith(word, i));
    if (unit === undefined) return null;
    const [word, size] = unit;
    if (size >= lastUnit) return null;
    lastUnit = size;
    i += word.length;
    total += Number(digits) * size;
  }
  return total >= minDurationMs && total <= maxDurationMs ? total : null;
}
