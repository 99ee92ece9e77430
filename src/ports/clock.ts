/** Time comes in as a port so tests can move it; machines never read it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
