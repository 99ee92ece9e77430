/**
 * The most units (grants, revokes) per second the cloud's per-action rate limits allow, given the
 * calls of each action one unit made: for each action, its limit over its calls per unit; the
 * smallest of those is the bound, and its action the one that binds.
 */
export interface RateBound {
  perSecond: number;
  bindingAction: string | null;
  callsPerUnit: Record<string, number>;
}

export function rateBound(
  calls: Record<string, number>,
  units: number,
  limitOf: (action: string) => number,
): RateBound {
  const callsPerUnit: Record<string, number> = {};
  let perSecond = Number.POSITIVE_INFINITY;
  let bindingAction: string | null = null;
  for (const [action, n] of Object.entries(calls)) {
    if (n === 0 || units === 0) continue;
    const perUnit = n / units;
    callsPerUnit[action] = Math.round(perUnit * 1000) / 1000;
    const allowed = limitOf(action) / perUnit;
    if (allowed < perSecond) {
      perSecond = allowed;
      bindingAction = action;
    }
  }
  return { perSecond, bindingAction, callsPerUnit };
}

/** The highest count any one second saw, per action. */
export function peakPerSecond(perSecond: Record<string, Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(perSecond).map(([action, seconds]) => [action, Math.max(0, ...Object.values(seconds))]),
  );
}
