/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so `dney`
 * is one edit from `deny`), over code points.
 */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(s.length, t.length);
}

/** How many edits still count as a typo: none for 1–2 letter words (`in`/`on`), 1 up to 5, else 2. */
function tolerance(word: string): number {
  const length = [...word].length;
  if (/\p{Script=Han}/u.test(word)) return length >= 2 ? 1 : 0;
  if (length <= 2) return 0;
  return length <= 5 ? 1 : 2;
}

/**
 * The candidate nearest to `word` within typo tolerance (first on ties), or undefined.
 * `minTolerance` loosens it where a keyword is expected anyway (`inn` for `in` inside a clause).
 */
export function closestWord(
  word: string,
  candidates: readonly string[],
  options: { minTolerance?: number } = {},
): string | undefined {
  const lower = word.toLowerCase();
  // Long tokens are never typos of short keywords; skip the quadratic work for them.
  if (lower.length > 40) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate);
    if (distance <= Math.max(tolerance(candidate), options.minTolerance ?? 0) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
