/**
 * What a state means to the people who asked: `waiting` for a person (an approval), `working`
 * (sgops is at it), or the request has come to rest, `ok` (what was asked holds) or `failed`.
 * Each workflow says what its states mean; transports, the console and `sgops say --follow` read
 * these, never state names.
 */
export type StatePhase = 'waiting' | 'working' | 'ok' | 'failed';

/** Whether a request in this phase has come to rest: it ended, well or not. */
export const atRest = (phase: StatePhase): boolean => phase === 'ok' || phase === 'failed';
