/**
 * The serial chain a request's calls formed: calls that overlap in time (a step that reads pods
 * and nodes at once) are one link, since neither waited for the other. Counting every call as a
 * link would credit sgops with time it never spent.
 */
export interface TimedCall {
  startMs: number;
  endMs: number;
}

/** The calls grouped into links of the chain, in order. */
export function callWaves<C extends TimedCall>(calls: readonly C[]): C[][] {
  const waves: C[][] = [];
  let waveEnd = -Infinity;
  for (const call of [...calls].sort((a, b) => a.startMs - b.startMs)) {
    const wave = waves.at(-1);
    if (wave && call.startMs < waveEnd) wave.push(call);
    else waves.push([call]);
    waveEnd = Math.max(waveEnd, call.endMs);
  }
  return waves;
}
