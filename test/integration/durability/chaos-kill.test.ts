import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow, RequestRow } from '../../../src/store/store.ts';
import { verifyStoredAudit } from '../../../src/audit/verify-audit-trail.ts';
import { clusterId } from '../../helpers/test-world.ts';
import { grantedWorldProblems } from '../../helpers/granted-world-problems.ts';
import { processExists } from '../../helpers/sgops-process.ts';
import { restartedAtAnnotation } from '../../../src/ports/cluster.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';

/**
 * Issue 7's chaos acceptance: a real `sgops start` process is SIGKILLed at every write step of a
 * grant, once while the call waits at the stand-in before it applies (the call is then dropped,
 * never applied) and once after the stand-in applied it but before sgops read the answer (the
 * answer goes to a dead socket). The stand-ins hold the calls, so each kill lands exactly there.
 * Each kill point has its own request; the five of a round are held at once, the process is
 * killed, the calls let go, and the process started again with the same config. Every request
 * ends `done`, the world holds each group, rule and policy once, and the audit chain verifies
 * with the interrupted call closed as INTERRUPTED.
 */
interface WriteStep {
  step: string;
  /** The audit trail's action for the call. */
  action: string;
  /** How many such calls one clean run of the step makes. */
  writes: number;
  /** Where the call is held: which stand-in, with which hold. */
  hold(
    request: RequestRow,
    app: { app: string; namespace: string },
  ): { system: 'cloud' | 'kube'; spec: object };
  /** Whether the call's side effect is in the stand-in's state (read directly, not through sgops). */
  applied(world: ProcessWorld, request: RequestRow, app: { app: string; namespace: string }): boolean;
}

type App = { app: string; namespace: string };
const podGroupOf = (world: ProcessWorld, a: App) =>
  world.emulator.state().securityGroups.find((g) => g.name === `sgops-${a.namespace}-${a.app}`);
const hasRule = (rules: { PolicyDescription?: string }[] | undefined, description: string) =>
  (rules ?? []).some((rule) => rule.PolicyDescription === description);

const writeSteps: WriteStep[] = [
  {
    step: 'ensurePodSecurityGroup',
    writes: 1,
    action: 'CreateSecurityGroup',
    // The created-by tag carries the request id.
    hold: (r) => ({ system: 'cloud', spec: { action: 'CreateSecurityGroup', contains: r.id } }),
    applied: (w, _r, a) => podGroupOf(w, a) !== undefined,
  },
  {
    step: 'allowDns',
    writes: 1,
    action: 'CreateSecurityGroupPolicies',
    hold: (r) => ({
      system: 'cloud',
      spec: { action: 'CreateSecurityGroupPolicies', contains: `${r.id}: DNS from pods` },
    }),
    applied: (w, r) =>
      hasRule(
        w.emulator.state().securityGroups.find((g) => g.name === `tke-worker-security-for-${clusterId}`)
          ?.ingress,
        `sgops ${r.id}: DNS from pods`,
      ),
  },
  {
    step: 'ensurePodGroupRules',
    // Ingress (held), then egress.
    writes: 2,
    action: 'CreateSecurityGroupPolicies',
    hold: (r) => ({
      system: 'cloud',
      spec: { action: 'CreateSecurityGroupPolicies', contains: `${r.id}: pods of this group` },
    }),
    applied: (w, r, a) => hasRule(podGroupOf(w, a)?.ingress, `sgops ${r.id}: pods of this group`),
  },
  {
    step: 'applyPolicy',
    writes: 1,
    action: 'create securitygrouppolicies',
    hold: (_r, a) => ({
      system: 'kube',
      spec: { verb: 'create', resource: 'securitygrouppolicies', namespace: a.namespace },
    }),
    applied: (w, _r, a) =>
      w.simulator.get('securitygrouppolicies', a.namespace, `sgops-${a.app}`) !== undefined,
  },
  {
    step: 'recreatePods',
    writes: 1,
    action: 'patch deployments',
    hold: (_r, a) => ({
      system: 'kube',
      spec: { verb: 'patch', resource: 'deployments', namespace: a.namespace, name: a.app },
    }),
    applied: (w, _r, a) => {
      const template = (
        w.simulator.get('deployments', a.namespace, a.app)?.spec as {
          template: { metadata: { annotations?: Record<string, string> } };
        }
      ).template;
      return template.metadata.annotations?.[restartedAtAnnotation] !== undefined;
    },
  },
];

const instants = ['before', 'after'] as const;
type Instant = (typeof instants)[number];
const killPoints = instants.flatMap((when) =>
  writeSteps.map((write, i) => {
    const n = String(when === 'before' ? i + 1 : i + 1 + writeSteps.length).padStart(2, '0');
    return { when, write, app: `chaos-${n}`, namespace: `chaos-${n}` };
  }),
);
type KillPoint = (typeof killPoints)[number];

interface Outcome {
  point: KillPoint;
  requestId: string;
  stateAtKill: string;
  /** Whether the held call's side effect was in the stand-in when the process died. */
  appliedAtKill: boolean;
  finalState: string;
  interrupted: number;
  msToEnd: number;
}

describe('SIGKILL at every write step of a grant, before and after its side effect', () => {
  let world: ProcessWorld;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    world = await startProcessWorld({
      name: 'chaos-kill',
      apps: killPoints.map(({ app, namespace }) => ({ app, namespace })),
      emulator: { quotas: { groupsPerRegion: 200, rulesPerDirection: 500 } },
      // Short locks so a killed process's jobs come back within seconds; room for the five held
      // calls of a round; attempts to spare for the version races on the one cluster group.
      workflow: {
        stepAttempts: 20,
        stepBackoffMs: 50,
        stepConcurrency: 16,
        pollDelayMs: 200,
        rolloutWaitMs: 1500,
        lockDurationMs: 4000,
        stalledIntervalMs: 1000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
        approvalTimeoutMs: 600_000,
      },
    });
    await world.start();
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
  });

  async function admin(system: 'cloud' | 'kube', path: string, method = 'GET', body?: unknown) {
    const base = system === 'cloud' ? world.cloud.adminUrl : world.kube.adminUrl;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await res.json()) as { id: string; state: string; error?: string };
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  async function heldWithin(system: 'cloud' | 'kube', id: string, label: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await admin(system, `/holds/${id}?waitMs=5000`)).state === 'held') return;
    }
    const states = await world.store.listRequests({ requester: 'alice', limit: 100 });
    throw new Error(
      `${label} was never held; requests: ${states.map((r) => `${r.id} ${r.state}`).join(', ')}\n${world.outputs()}`,
    );
  }

  /** Grants the round's apps, holds each at its kill point, kills the process, lets go, restarts. */
  async function runRound(when: Instant): Promise<void> {
    const points = killPoints.filter((p) => p.when === when);
    const mine = (rows: Map<string, RequestRow>) => points.map((p) => rows.get(p.app));
    for (const p of points) await world.say('alice', `grant pod SG to app ${p.app} in ${p.namespace}`);
    const planned = await world.requestsWhen(
      (rows) => mine(rows).every((r) => r !== undefined && r.state !== 'planning'),
      60_000,
    );
    const requests = points.map((p) => planned.get(p.app)!);
    expect(requests.map((r) => r.state)).toEqual(points.map(() => 'awaitingApproval'));

    const holds = await Promise.all(
      points.map(async (p, i) => {
        const { system, spec } = p.write.hold(requests[i]!, p);
        const { id } = await admin(system, '/holds', 'POST', { ...spec, when });
        return { system, id };
      }),
    );
    // allowDns writes the cluster group every grant shares, and its held call keeps the group's
    // write turn: the others are approved first and held past it, then it is approved.
    const sharesGroup = (i: number) => points[i]!.write.step === 'allowDns';
    for (const phase of [false, true]) {
      const now = requests.map((r, i) => ({ r, i })).filter(({ i }) => sharesGroup(i) === phase);
      for (const { r } of now) await world.say('bob', `approve ${r.id}`);
      await Promise.all(
        now.map(({ i }) =>
          heldWithin(holds[i]!.system, holds[i]!.id, `${points[i]!.write.step} ${when}`, 60_000),
        ),
      );
    }

    const atKill = await world.requestsWhen(() => true, 0);
    const victim = world.processes.at(-1)!;
    await victim.kill();
    expect(processExists(victim.pid)).toBe(false);
    const appliedAtKill = points.map((p, i) => p.write.applied(world, requests[i]!, p));
    // Before: the call never applies. After: it applied, and its answer goes to a dead socket.
    await Promise.all(
      holds.map((h) => admin(h.system, `/holds/${h.id}/release`, 'POST', { drop: when === 'before' })),
    );

    const restarted = Date.now();
    await world.start();
    const ended = await world.requestsWhen(
      (rows) => mine(rows).every((r) => r !== undefined && terminalStates.has(r.state)),
      90_000,
    );
    const msToEnd = Date.now() - restarted;
    const audit = await world.store.listAudit();
    points.forEach((point, i) => {
      const requestId = requests[i]!.id;
      outcomes.push({
        point,
        requestId,
        stateAtKill: atKill.get(point.app)!.state,
        appliedAtKill: appliedAtKill[i]!,
        finalState: ended.get(point.app)!.state,
        interrupted: audit.filter(
          (row) =>
            row.requestId === requestId &&
            row.outcome === 'INTERRUPTED' &&
            row.action === point.write.action &&
            row.details['step'] === point.write.step,
        ).length,
        msToEnd,
      });
    });
  }

  function table(): string {
    const rows = outcomes.map((o) =>
      [
        `${o.point.write.step} (${o.point.write.action})`.padEnd(50),
        o.point.when.padEnd(6),
        o.requestId.padEnd(14),
        o.stateAtKill.padEnd(22),
        (o.appliedAtKill ? 'applied' : 'not applied').padEnd(11),
        String(o.interrupted).padEnd(11),
        o.finalState.padEnd(9),
        `${o.msToEnd} ms`,
      ].join(' '),
    );
    const head = [
      'write step (held call)'.padEnd(50),
      'kill'.padEnd(6),
      'request'.padEnd(14),
      'state at kill'.padEnd(22),
      'at kill'.padEnd(11),
      'INTERRUPTED'.padEnd(11),
      'ended'.padEnd(9),
      'restart → ended',
    ].join(' ');
    const done = outcomes.filter((o) => o.finalState === 'done').length;
    return [head, ...rows, `${done}/${outcomes.length} kill points ended done`].join('\n');
  }

  /**
   * Every intent has exactly one outcome, each kill left one INTERRUPTED call, and every write of
   * every request was made as often as one clean run makes it: the ok outcomes, plus the call
   * that applied but was interrupted at an `after` kill point.
   */
  function auditProblems(rows: AuditRow[]): string[] {
    const problems: string[] = [];
    const outcomesOf = new Map<string, number>();
    for (const r of rows)
      if (r.kind === 'outcome' && r.callId) outcomesOf.set(r.callId, (outcomesOf.get(r.callId) ?? 0) + 1);
    for (const r of rows)
      if (r.kind === 'intent' && outcomesOf.get(r.callId!) !== 1)
        problems.push(
          `${r.requestId} ${r.action}: call ${r.callId} has ${outcomesOf.get(r.callId!) ?? 0} outcomes`,
        );
    for (const o of outcomes) {
      const label = `${o.requestId} (killed ${o.point.when} ${o.point.write.step})`;
      if (o.interrupted !== 1)
        problems.push(`${label}: ${o.interrupted} INTERRUPTED ${o.point.write.action}`);
      for (const write of writeSteps) {
        const ok = rows.filter(
          (r) =>
            r.requestId === o.requestId &&
            r.kind === 'outcome' &&
            r.outcome === 'ok' &&
            r.action === write.action &&
            r.details['step'] === write.step,
        ).length;
        const appliedUnanswered = write === o.point.write && o.point.when === 'after' ? 1 : 0;
        if (ok + appliedUnanswered !== write.writes)
          problems.push(
            `${label}: ${write.step} made ${ok + appliedUnanswered} ${write.action}, not ${write.writes}`,
          );
      }
    }
    return problems;
  }

  it('ends every request done, with no duplicate rule, no orphan group, no policy without its group, and a verified audit chain', async () => {
    const started = Date.now();
    for (const when of instants) await runRound(when);
    const wallMs = Date.now() - started;
    console.log(`chaos: ${outcomes.length} SIGKILL points in ${wallMs} ms\n${table()}`);

    expect(
      outcomes.filter((o) => o.finalState !== 'done').map((o) => `${o.requestId} ${o.finalState}`),
    ).toEqual([]);
    // Each request was killed where its hold held it: in its step, before or after the side effect.
    expect(outcomes.map((o) => o.stateAtKill)).toEqual(killPoints.map((p) => p.write.step));
    expect(outcomes.map((o) => o.appliedAtKill)).toEqual(killPoints.map((p) => p.when === 'after'));

    const cloud = world.emulator.state();
    expect(
      grantedWorldProblems(cloud, world.simulator, {
        clusterId,
        clusterGroupName: `tke-worker-security-for-${clusterId}`,
        apps: killPoints.map(({ app, namespace }) => ({ app, namespace })),
      }),
    ).toEqual([]);
    // No group sgops made without its tags (a create whose answer was lost and was then made again).
    const untagged = cloud.securityGroups.filter(
      (g) => g.name.startsWith('sgops-') && g.tags['sgops/managed'] !== 'true',
    );
    expect(untagged.map((g) => `${g.id} ${g.name}`)).toEqual([]);

    const audit = await world.store.listAudit();
    expect(auditProblems(audit)).toEqual([]);
    const chain = await verifyStoredAudit(world.store, world.auditKey);
    expect(chain).toMatchObject({ ok: true, broken: null });
    expect(chain.count).toBe(audit.length);
  }, 170_000);
});
