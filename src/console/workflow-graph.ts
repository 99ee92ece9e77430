/**
 * The console's picture of a workflow, read from the xstate machine definition itself, so the
 * diagram can never drift from what the engine runs: every state, its transitions, and the main
 * path (the road a request takes when all goes well).
 */
import type { AnyStateMachine } from 'xstate';

export interface WorkflowTransition {
  event: string;
  /** Target state ids, in definition order (a guarded event may have several). */
  targets: string[];
}

export interface WorkflowState {
  id: string;
  final: boolean;
  /** `path`: on the main path; `side`: an ending or a detour (failed, denied, rollingBack …). */
  place: 'path' | 'side';
  transitions: WorkflowTransition[];
}

export interface WorkflowGraph {
  id: string;
  initial: string;
  /** From the initial state to the good end (`done` unless told), in definition order. */
  mainPath: string[];
  states: WorkflowState[];
}

export function workflowGraph(machine: AnyStateMachine, options: { end?: string } = {}): WorkflowGraph {
  const root = machine.root;
  const nodes = Object.entries(root.states);
  const transitionsOf = (node: (typeof nodes)[number][1]): WorkflowTransition[] =>
    [...node.transitions.entries()].map(([event, list]) => ({
      event,
      targets: unique(list.flatMap((t) => (t.target ?? []).map((target) => target.key))),
    }));
  const byId = new Map(
    nodes.map(([id, node]) => [id, { final: node.type === 'final', transitions: transitionsOf(node) }]),
  );

  const initial = root.initial?.target?.[0]?.key ?? nodes[0]?.[0] ?? '';
  const finals = nodes.filter(([, node]) => node.type === 'final').map(([id]) => id);
  // `done` ends the good road even where it rests open (a grant's, for drift reports).
  const end = options.end ?? (byId.has('done') ? 'done' : finals[0]);
  // Machines are written in the order of their good road, as grant's is: the main path is the
  // states from the initial one to the good end in definition order, each entered from one before it
  // and on a way to that end.
  const order = nodes.map(([id]) => id);
  const mainPath: string[] = [];
  for (const id of order.slice(
    order.indexOf(initial),
    end === undefined ? undefined : order.indexOf(end) + 1,
  )) {
    const entered = mainPath.some((from) => byId.get(from)?.transitions.some((t) => t.targets.includes(id)));
    if (mainPath.length === 0 || (entered && reaches(id, end))) mainPath.push(id);
  }

  function reaches(from: string, to: string | undefined): boolean {
    const seen = new Set<string>();
    for (const stack = [from]; stack.length > 0;) {
      const at = stack.pop()!;
      if (at === to) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const t of byId.get(at)?.transitions ?? []) stack.push(...t.targets);
    }
    return false;
  }

  return {
    id: root.key,
    initial,
    mainPath,
    states: nodes.map(([id]) => {
      const state = byId.get(id)!;
      return {
        id,
        final: state.final,
        place: mainPath.includes(id) ? 'path' : 'side',
        transitions: state.transitions,
      };
    }),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
