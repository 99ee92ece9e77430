/**
 * economy: Tencent Cloud reads and writes and Kubernetes requests of a fresh grant, a repeated
 * grant and a revoke, from the emulator's and simulator's own counters, next to the seed
 * procedure's calls (tccli counted from the document, kubectl run for real against the simulator).
 */
import { sum } from '../harness/sum.ts';
import { isRead } from '../harness/observed-rates.ts';
import { benchConfigInput, startBenchApp } from '../harness/bench-app.ts';
import type { BenchApp } from '../harness/bench-app.ts';
import { grantOnce, sayAndHear } from '../harness/grant-once.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { seedKubectlRequests } from '../harness/seed-kubectl-requests.ts';
import { startStandIns } from '../harness/stand-ins.ts';
import type { StandIns } from '../harness/stand-ins.ts';

/**
 * The seed doc's steps 1–4 (/work/shared/seed/000_1f09a381bccce8ee.txt), counted by hand:
 * 1a DescribeClusters + DescribeSecurityGroups, 1b CreateSecurityGroup + DescribeSecurityGroups,
 * 1c two CreateSecurityGroupPolicies (UDP 53, TCP 53), 1d two CreateSecurityGroupPolicies
 * (ingress from itself, egress ALL); 2 `kubectl create namespace`, 3b and 4b `kubectl apply -f`.
 */
export const seedTccli = { reads: 3, writes: 5 };

async function measure(standIns: StandIns, work: () => Promise<unknown>) {
  await standIns.resetCalls();
  await work();
  // Notifications and the last outcome rows may trail the end state by a moment; no cloud call does.
  await new Promise((r) => setTimeout(r, 300));
  const { cloud, kube } = await standIns.calls();
  const reads = sum(
    Object.entries(cloud)
      .filter(([a]) => isRead(a))
      .map(([, n]) => n),
  );
  const writes = sum(
    Object.entries(cloud)
      .filter(([a]) => !isRead(a))
      .map(([, n]) => n),
  );
  return { reads, writes, k8s: sum(Object.values(kube)), cloud, kube };
}

export const economyScenario: Scenario = {
  name: 'economy',
  title: 'cloud reads/writes and Kubernetes requests per grant, vs the seed procedure',
  async run(log): Promise<ScenarioOutcome> {
    const standIns = await startStandIns({ podStartLatencyMs: 30 });
    let sgops: BenchApp | null = null;
    try {
      await standIns.deploy({
        apps: [{ app: 'econ-2', namespace: 'my-namespace' }],
        replicas: 2,
        timeoutMs: 20_000,
      });
      await standIns.deploy({
        apps: [{ app: 'econ-20', namespace: 'my-namespace' }],
        replicas: 20,
        timeoutMs: 20_000,
      });
      const input = benchConfigInput('economy', standIns);
      // Each grant's own calls: none answered from reads shared with the grant before (bulk shows those).
      sgops = await startBenchApp({ ...input, tencentcloud: { ...input.tencentcloud, readCacheTtlMs: 0 } });
      const app = sgops.app;

      const notes: string[] = [];
      const ended: string[] = [];
      const fresh = await measure(standIns, async () =>
        ended.push((await grantOnce(app, { app: 'econ-2', namespace: 'my-namespace' })).state),
      );
      log(
        `fresh grant (2 replicas): ${fresh.reads} reads, ${fresh.writes} writes, ${fresh.k8s} Kubernetes requests`,
      );
      const repeat = await measure(standIns, async () =>
        ended.push((await grantOnce(app, { app: 'econ-2', namespace: 'my-namespace' })).state),
      );
      log(`repeat grant: ${repeat.reads} reads, ${repeat.writes} writes, ${repeat.k8s} Kubernetes requests`);
      const fresh20 = await measure(standIns, async () =>
        ended.push((await grantOnce(app, { app: 'econ-20', namespace: 'my-namespace' })).state),
      );
      log(
        `fresh grant (20 replicas): ${fresh20.reads} reads, ${fresh20.writes} writes, ${fresh20.k8s} Kubernetes requests`,
      );
      if (ended.some((s) => s !== 'done')) notes.push(`grants ended ${ended.join(', ')} (expected done)`);

      // Revoke, if the chat service can do it by now: a request must open and end.
      let revokeReply = '';
      const revoke = await measure(standIns, async () => {
        const said = await sayAndHear(app, 'alice', 'revoke pod SG from app econ-2 in my-namespace', 10_000);
        revokeReply = said?.text ?? '(no answer within 10 s)';
        if (said?.requestId) {
          const { requestId } = said;
          const deadline = Date.now() + 30_000;
          for (;;) {
            const view = await app.engine.read(requestId);
            if (view?.state === 'awaitingApproval') await app.console.say('bob', `approve ${requestId}`);
            if (view && ['done', 'failed', 'needsAttention', 'rolledBack', 'denied'].includes(view.state))
              break;
            if (Date.now() > deadline) break;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      });
      const revokeAvailable =
        revokeReply !== '' && !/not supported|no answer|不支持/i.test(revokeReply) && revoke.writes > 0;
      if (!revokeAvailable)
        notes.push(`revoke is not available yet: the bot answered "${revokeReply.split('\n')[0]}"`);

      const kubectl = await seedKubectlRequests(standIns.kubeUrl, async () =>
        sum(Object.values((await standIns.calls()).kube)),
      );
      notes.push(
        `seed steps 1–4: tccli ${seedTccli.reads} reads + ${seedTccli.writes} writes (1a–1d, counted in the doc); kubectl 3 commands` +
          (kubectl
            ? ` = ${kubectl.requests} API requests measured against the simulator (discovery not counted)`
            : ' (kubectl not installed: requests not measured)'),
      );
      notes.push(
        'the seed does not restart pods (it deploys the app in step 4); sgops also restarts the owning Deployments and verifies',
      );

      return {
        figures: {
          fresh_reads: fresh.reads,
          fresh_writes: fresh.writes,
          repeat_reads: repeat.reads,
          repeat_writes: repeat.writes,
          revoke_reads: revokeAvailable ? revoke.reads : null,
          revoke_writes: revokeAvailable ? revoke.writes : null,
          k8s_requests_2: fresh.k8s,
          k8s_requests_20: fresh20.k8s,
          k8s_requests_repeat: repeat.k8s,
          seed_procedure_calls: {
            tccli_reads: seedTccli.reads,
            tccli_writes: seedTccli.writes,
            kubectl_commands: 3,
            kubectl_api_requests: kubectl?.requests ?? null,
          },
          fresh_cloud_calls: fresh.cloud,
          repeat_cloud_calls: repeat.cloud,
          fresh_k8s_calls_2: fresh.kube,
          fresh_k8s_calls_20: fresh20.kube,
          repeat_k8s_calls: repeat.kube,
        },
        targets: [
          { name: 'fresh grant: 4 cloud writes', value: fresh.writes, limit: 4, kind: 'equal' },
          { name: 'repeated grant: 0 cloud writes', value: repeat.writes, limit: 0, kind: 'equal' },
          {
            name: 'k8s requests 20 replicas − 2 replicas ≤ 0',
            value: fresh20.k8s - fresh.k8s,
            limit: 0,
            kind: 'max',
          },
        ],
        notes,
      };
    } finally {
      await sgops?.stop();
      await standIns.stop();
    }
  },
};
