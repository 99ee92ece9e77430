/**
 * Where a request stands on its workflow's diagram: each state done, current, failed (or where the
 * request stopped), skipped, or still ahead. Derived from the graph, the current state and what
 * the context says each step produced — nothing workflow-specific beyond the convention that
 * `outputs` and `attempts` are keyed by state name and `failedStep` names a failed one.
 */
import type { WorkflowGraph } from './workflow-graph.ts';

export type StateStatus = 'done' | 'current' | 'failed' | 'skipped' | 'pending';

interface ProgressContext {
  outputs?: Record<string, unknown>;
  attempts?: Record<string, number>;
  failedStep?: string | null;
}

export function workflowProgress(
  graph: WorkflowGraph,
  current: string,
  context: unknown,
): Record<string, StateStatus> {
  const ctx = (typeof context === 'object' && context !== null ? context : {}) as ProgressContext;
  const outputs = ctx.outputs ?? {};
  const entered = (id: string) => id in outputs || (ctx.attempts?.[id] ?? 0) > 0;
  const path = graph.mainPath;
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const leadsTo = (from: string, to: string) =>
    byId.get(from)?.transitions.some((t) => t.targets.includes(to)) ?? false;
  const status: Record<string, StateStatus> = {};

  const onPath = path.indexOf(current);
  if (onPath >= 0) {
    path.forEach((id, i) => (status[id] = i < onPath ? 'done' : i === onPath ? 'current' : 'pending'));
  } else {
    // Off the main path: find the state where the request left it.
    const lastDone = path.reduce((last, id, i) => (id in outputs ? i : last), -1);
    let stop = path.indexOf(ctx.failedStep ?? '');
    if (stop < 0) stop = path.findIndex((id, i) => i > lastDone && leadsTo(id, current));
    if (stop < 0 && lastDone >= 0 && leadsTo(path[lastDone]!, current)) stop = lastDone;
    const atRest = byId.get(current)?.final ?? false;
    path.forEach((id, i) => {
      // Where it left: failed, unless the step finished and the road simply ends elsewhere (a dry run).
      if (i === stop) status[id] = id in outputs ? 'done' : 'failed';
      else if (stop >= 0 ? i < stop : id in outputs) status[id] = 'done';
      else status[id] = atRest ? 'skipped' : 'pending';
    });
  }
  for (const state of graph.states) {
    if (state.place !== 'side') continue;
    status[state.id] =
      state.id === current
        ? 'current'
        : state.id === ctx.failedStep
          ? 'failed'
          : entered(state.id)
            ? 'done'
            : 'pending';
  }
  return status;
}
