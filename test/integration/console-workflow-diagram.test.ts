/**
 * The pure parts behind the console's request view: the diagram read from the machine, where a
 * request stands on it, and the audit rows joined into calls.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { auditTimeline } from '../../src/console/audit-timeline.ts';
import { requestDetail } from '../../src/console/request-views.ts';
import { workflowGraph } from '../../src/console/workflow-graph.ts';
import { workflowProgress } from '../../src/console/workflow-progress.ts';
import type { RequestView } from '../../src/engine/engine.ts';
import type { AuditRow } from '../../src/store/store.ts';
import { grantMachine } from '../../workflows/grant/machine.ts';

const graph = workflowGraph(grantMachine);
const workSteps = [
  'ensurePodSecurityGroup',
  'allowDns',
  'ensurePodGroupRules',
  'applyPolicy',
  'recreatePods',
  'verifying',
];

describe('the workflow diagram', () => {
  it('draws every state of the grant machine, with planning → approval → the six steps → done as its road', () => {
    expect(graph.mainPath).toEqual(['planning', 'awaitingApproval', ...workSteps, 'done']);
    expect(graph.states.map((s) => s.id).sort()).toEqual(Object.keys(grantMachine.config.states!).sort());
    const side = graph.states.filter((s) => s.place === 'side').map((s) => s.id);
    expect(side).toEqual(
      expect.arrayContaining(['failed', 'needsAttention', 'denied', 'expired', 'cancelled']),
    );
    // A grant's done rests open for the drift watch's reports (machine v3): not final, yet the road's end.
    expect(graph.states.find((s) => s.id === 'done')?.final).toBe(false);
  });

  it('carries the transitions, so a person can see where each state may lead', () => {
    const waiting = graph.states.find((s) => s.id === 'awaitingApproval')!;
    expect(waiting.transitions).toEqual(
      expect.arrayContaining([
        { event: 'approve', targets: ['ensurePodSecurityGroup'] },
        { event: 'deny', targets: ['denied'] },
      ]),
    );
  });

  it('reads any machine, not only grant', () => {
    const toy = createMachine({
      id: 'toy',
      initial: 'ask',
      states: {
        ask: { on: { yes: 'work', no: 'refused' } },
        work: { on: { ok: 'finished', oops: 'broken' } },
        finished: { type: 'final' },
        broken: { on: { retry: 'work' } },
        refused: { type: 'final' },
      },
    });
    const g = workflowGraph(toy);
    expect(g.mainPath).toEqual(['ask', 'work', 'finished']);
    expect(g.states.filter((s) => s.place === 'side').map((s) => s.id)).toEqual(['broken', 'refused']);
    expect(workflowGraph(toy, { end: 'refused' }).mainPath).toEqual(['ask', 'refused']);
  });
});

describe('where a request stands on the diagram', () => {
  const planned = { outputs: { planning: {} }, attempts: { planning: 1 } };

  it('ticks the states behind the current one and leaves the rest ahead', () => {
    const s = workflowProgress(graph, 'allowDns', {
      ...planned,
      outputs: { planning: {}, ensurePodSecurityGroup: {} },
    });
    expect([s['planning'], s['awaitingApproval'], s['ensurePodSecurityGroup']]).toEqual([
      'done',
      'done',
      'done',
    ]);
    expect(s['allowDns']).toBe('current');
    expect(s['verifying']).toBe('pending');
    expect(s['failed']).toBe('pending');
  });

  it('marks the step that failed, keeps the later ones ahead (a retry may run them), and the failed state current', () => {
    const s = workflowProgress(graph, 'failed', {
      outputs: { planning: {}, ensurePodSecurityGroup: {} },
      attempts: { planning: 1, ensurePodSecurityGroup: 1, allowDns: 3 },
      failedStep: 'allowDns',
    });
    expect(s['ensurePodSecurityGroup']).toBe('done');
    expect(s['allowDns']).toBe('failed');
    expect(s['ensurePodGroupRules']).toBe('pending');
    expect(s['failed']).toBe('current');
  });

  it('shows a denied request stopped at approval, with the work skipped', () => {
    const s = workflowProgress(graph, 'denied', planned);
    expect(s['planning']).toBe('done');
    expect(s['awaitingApproval']).toBe('failed');
    expect(workSteps.map((step) => s[step])).toEqual(workSteps.map(() => 'skipped'));
    expect(s['done']).toBe('skipped');
    expect(s['denied']).toBe('current');
  });

  it('shows a request cancelled while planning stopped at planning', () => {
    const s = workflowProgress(graph, 'cancelled', { outputs: {}, attempts: { planning: 1 } });
    expect(s['planning']).toBe('failed');
    expect(s['awaitingApproval']).toBe('skipped');
  });

  it('shows a dry run as planned, not failed', () => {
    const s = workflowProgress(graph, 'planned', planned);
    expect(s['planning']).toBe('done');
    expect(s['awaitingApproval']).toBe('skipped');
    expect(s['planned']).toBe('current');
  });

  it('shows a rolled-back request with its undoing done', () => {
    const outputs = Object.fromEntries(['planning', ...workSteps, 'rollingBack'].map((k) => [k, {}]));
    const s = workflowProgress(graph, 'rolledBack', { outputs, attempts: { rollingBack: 1 } });
    expect(s['verifying']).toBe('done');
    expect(s['done']).toBe('skipped');
    expect(s['rollingBack']).toBe('done');
    expect(s['rolledBack']).toBe('current');
  });

  it('marks verification failed when pods lack the group, and approval skipped only when it was automatic', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    const view = (state: string, context: Record<string, unknown>): RequestView => ({
      request: {
        id: 'R7K2',
        workflow: 'grant',
        requester: 'alice',
        clusterId: 'cls-sandbox1',
        namespace: 'my-namespace',
        spec: { target: { kind: 'app', app: 'my-app' } },
        origin: { platform: 'console', conversationId: 'alice' },
        state,
        createdAt: now,
        updatedAt: now,
      },
      state,
      context,
      machineVersion: 1,
    });
    const outputs = Object.fromEntries(['planning', ...workSteps].map((k) => [k, {}]));
    const attention = requestDetail(
      view('needsAttention', { outputs, approvedAt: now.toISOString(), approvals: [{ by: 'bob', at: '' }] }),
      graph,
      null,
    );
    expect(attention.statuses['verifying']).toBe('failed');
    expect(attention.statuses['awaitingApproval']).toBe('done');
    expect(attention.request.what).toBe('app my-app in my-namespace on cls-sandbox1');

    const automatic = requestDetail(
      view('allowDns', { outputs, approvedAt: null, approvals: [] }),
      graph,
      null,
    );
    expect(automatic.statuses['awaitingApproval']).toBe('skipped');

    // What the drift watch found shows in the reader's language, and nothing when nothing differs.
    const drift = {
      fingerprint: 'f1',
      since: '2025-01-02T00:00:00Z',
      notes: [{ key: 'k', said: { en: 'The DNS rule UDP 53 is missing.', zh: '缺少 DNS 规则 UDP 53。' } }],
    };
    const drifted = view('done', { outputs, drift });
    expect(requestDetail(drifted, graph, null, undefined, 'zh').drift).toEqual({
      since: drift.since,
      notes: ['缺少 DNS 规则 UDP 53。'],
    });
    expect(requestDetail(drifted, graph, null).drift?.notes).toEqual(['The DNS rule UDP 53 is missing.']);
    expect(
      requestDetail(view('done', { outputs, drift: { ...drift, notes: [] } }), graph, null).drift,
    ).toBeNull();
    expect(automatic.statuses['allowDns']).toBe('current');

    // A time-bound grant ends off the main road (revoked): its approval still shows as given.
    const revoked = requestDetail(
      view('revoked', { outputs, approvedAt: now.toISOString(), approvals: [{ by: 'bob', at: '' }] }),
      graph,
      null,
    );
    expect(revoked.statuses['awaitingApproval']).toBe('done');
    expect(revoked.statuses['verifying']).toBe('done');
    expect(revoked.statuses['revoked']).toBe('current');
  });
});

describe('the audit timeline', () => {
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
  const row = (seq: number, fields: Partial<AuditRow>): AuditRow => ({
    seq,
    at: at(seq),
    prevHash: '',
    hash: '',
    requestId: 'R7K2',
    actor: 'sgops',
    kind: 'intent',
    system: 'tencentcloud',
    action: 'CreateSecurityGroup',
    target: 'sgops-my-namespace-my-app',
    outcome: null,
    durationMs: null,
    cloudRequestId: null,
    details: { step: 'ensurePodSecurityGroup' },
    callId: null,
    ...fields,
  });

  it('joins each call’s intent and outcome, keeps calls in flight and decisions, and leaves details out', () => {
    const calls = auditTimeline([
      row(4, { kind: 'outcome', callId: 'c1', outcome: 'ok', durationMs: 23, cloudRequestId: 'req-1' }),
      row(1, {
        kind: 'decision',
        system: 'chat',
        action: 'request',
        actor: 'alice',
        outcome: 'accepted',
        details: {},
      }),
      row(2, { callId: 'c1' }),
      row(3, { callId: 'c2', system: 'kubernetes', action: 'patch deployments', target: 'my-deployment' }),
    ]);
    expect(calls).toEqual([
      expect.objectContaining({ seq: 1, system: 'chat', outcome: 'accepted', step: null, actor: 'alice' }),
      {
        seq: 2,
        at: at(2).toISOString(),
        actor: 'sgops',
        system: 'tencentcloud',
        action: 'CreateSecurityGroup',
        target: 'sgops-my-namespace-my-app',
        step: 'ensurePodSecurityGroup',
        outcome: 'ok',
        durationMs: 23,
        cloudRequestId: 'req-1',
      },
      expect.objectContaining({ seq: 3, system: 'kubernetes', outcome: null, durationMs: null }),
    ]);
  });
});
