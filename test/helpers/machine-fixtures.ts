/**
 * What the workflow machines' unit tests share: the request they are about (app my-app in
 * my-namespace of the sandbox cluster, asked by alice), a grant's input and step outputs, and
 * sending an event the way the engine does — through a snapshot persisted as JSON.
 */
import { transition, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';
import type { initialTransition } from 'xstate';
import { grantMachine } from '../../workflows/grant/machine.ts';
import type { GrantEvent } from '../../workflows/grant/events.ts';
import type { GrantInput, GrantSpec, StepName } from '../../workflows/grant/types.ts';

/** The spec fields a grant and a revoke of app my-app have in common. */
export function myAppRequest(requestId: string) {
  return {
    requestId,
    requester: 'alice',
    clusterId: 'cls-sandbox1',
    namespace: 'my-namespace',
    target: { kind: 'app' as const, app: 'my-app' },
    podSelector: { app: 'my-app' },
    podGroupName: 'sgops-my-namespace-my-app',
    policyName: 'sgops-my-app',
  };
}

/** A grant of my-app open to the internet, one approver, waiting at most `approvalTimeoutMs`. */
export function grantInput(
  requestId: string,
  input: Partial<GrantInput> = {},
  spec: Partial<GrantSpec> = {},
): GrantInput {
  return {
    spec: {
      ...myAppRequest(requestId),
      egress: [{ protocol: 'ALL', port: 'ALL', peer: { cidr: '0.0.0.0/0' }, action: 'ACCEPT' }],
      ...spec,
    },
    quorum: 1,
    approvalTimeoutMs: 60_000,
    ...input,
  };
}

export const grantPlan = {
  cluster: { id: 'cls-sandbox1', name: 'sandbox', version: '1.26.1', vpcId: 'vpc-1' },
  clusterGroupId: 'sg-cluster01',
  existingPodGroupId: null,
  workloads: [],
  pods: [],
  changes: [],
  warnings: [],
};

/** Each grant step's output when all goes well; the policy applied at `appliedAt`. */
export function grantOutputs(appliedAt: string): Record<StepName, unknown> {
  return {
    planning: grantPlan,
    ensurePodSecurityGroup: { podGroupId: 'sg-pod00001', created: true },
    allowDns: { added: [] },
    ensurePodGroupRules: { ingressAdded: [], egressAdded: [] },
    applyPolicy: { policyName: 'sgops-my-app', created: true, updated: false, appliedAt },
    recreatePods: { restarted: ['my-deployment'], skipped: [], barePods: [] },
    verifying: {
      pods: [{ name: 'p', node: 'n', ok: true, groups: ['sg-pod00001'], reason: null }],
      allVerified: true,
    },
    rollingBack: { undone: [] },
  };
}

type Transition<M extends AnyStateMachine> = ReturnType<typeof initialTransition<M>>;

/** Sends `event` to the snapshot after a round trip through JSON, the way the engine persists snapshots. */
export function sendPersisted<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
  event: EventFromLogic<M>,
): Transition<M> {
  const persisted = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot)));
  const restored = machine.resolveState(persisted) as SnapshotFrom<M>;
  return transition(machine, restored, event) as Transition<M>;
}

/** The effects the returned actions describe, each as `{ type, ...params }`. */
export function effectsOf(actions: readonly { type: string; params?: unknown }[]) {
  return actions.map((a) => ({ type: a.type, ...(a.params as object) }));
}

export type GrantSnapshot = Transition<typeof grantMachine>[0];
export type GrantActions = Transition<typeof grantMachine>[1];

/** `sendPersisted` for the grant machine. */
export const sendGrant = (snapshot: GrantSnapshot, event: GrantEvent): [GrantSnapshot, GrantActions] =>
  sendPersisted(grantMachine, snapshot, event);
