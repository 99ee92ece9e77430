import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubeObject } from '../../../../adapters/kubernetes/simulator/kube-object.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { waitForRollout } from '../../../../adapters/kubernetes/simulator/wait-for-rollout.ts';
import { securityGroupAnnotation } from '../../../../src/ports/cluster.ts';
import { superNodeDeployment } from '../../../helpers/super-node-deployment.ts';

const ns = 'my-namespace';

/** A super-node Deployment whose pods run as `account`. */
function runningAs(app: string, account: string, namespace = ns): KubeObject {
  const d = superNodeDeployment({ app, namespace, replicas: 1 });
  d.spec.template.spec.serviceAccountName = account;
  return d;
}

const byAccount = (name: string, labels: Record<string, string>, groupIds: string[], namespace = ns) => ({
  apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
  kind: 'SecurityGroupPolicy',
  metadata: { name, namespace },
  spec: { serviceAccountSelector: { matchLabels: labels }, securityGroups: { groupIds } },
});

/**
 * The add-on's serviceAccountSelector, as TKE (after the AWS controller) applies it: only the
 * policies of the pod's namespace, matched against the labels of the pod's ServiceAccount as they
 * are when the pod is created.
 */
describe('the simulator matching serviceAccountSelector', () => {
  let sim: KubernetesSimulator;

  beforeEach(async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 5 });
    await sim.start();
    await seedSampleWorld(sim);
  });
  afterEach(() => sim.stop());

  const groupsOf = (app: string, namespace = ns) =>
    sim
      .list('pods', namespace, { labelSelector: `app=${app}` })
      .map((p) => p.metadata.annotations?.[securityGroupAnnotation] ?? '');

  async function deploy(app: string, account: string, namespace = ns) {
    sim.create('deployments', namespace, runningAs(app, account, namespace));
    await waitForRollout(sim, namespace, app);
  }

  it('gives the groups to pods whose account carries the labels, and not to pods of other accounts', async () => {
    sim.create('serviceaccounts', ns, { metadata: { name: 'api', labels: { team: 'pay' } } });
    sim.create('serviceaccounts', ns, { metadata: { name: 'other', labels: { team: 'web' } } });
    sim.create('securitygrouppolicies', ns, byAccount('pay', { team: 'pay' }, ['sg-aaaa1111']));
    await deploy('api-pods', 'api');
    await deploy('other-pods', 'other');
    expect(groupsOf('api-pods')).toEqual(['sg-aaaa1111']);
    expect(groupsOf('other-pods')).toEqual(['']);
  });

  it('looks the labels up when a pod is created: labelling the account later reaches only new pods', async () => {
    sim.create('serviceaccounts', ns, { metadata: { name: 'api' } });
    sim.create(
      'securitygrouppolicies',
      ns,
      byAccount('pay', { 'sgops/serviceaccount': 'api' }, ['sg-aaaa1111']),
    );
    await deploy('api-pods', 'api');
    expect(groupsOf('api-pods')).toEqual(['']);

    sim.patch('serviceaccounts', ns, 'api', { metadata: { labels: { 'sgops/serviceaccount': 'api' } } });
    await sim.settle();
    expect(groupsOf('api-pods')).toEqual(['']);
    sim.patch('deployments', ns, 'api-pods', {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } },
    });
    await waitForRollout(sim, ns, 'api-pods');
    expect(groupsOf('api-pods')).toEqual(['sg-aaaa1111']);
  });

  it("applies only the policies of the pod's own namespace", async () => {
    sim.create('namespaces', undefined, { metadata: { name: 'elsewhere' } });
    for (const namespace of [ns, 'elsewhere'])
      sim.create('serviceaccounts', namespace, { metadata: { name: 'api', labels: { team: 'pay' } } });
    sim.create(
      'securitygrouppolicies',
      'elsewhere',
      byAccount('pay', { team: 'pay' }, ['sg-bbbb2222'], 'elsewhere'),
    );
    await deploy('api-pods', 'api');
    await deploy('api-pods', 'api', 'elsewhere');
    expect(groupsOf('api-pods')).toEqual(['']);
    expect(groupsOf('api-pods', 'elsewhere')).toEqual(['sg-bbbb2222']);
  });

  it('joins the groups of a pod-selector policy and an account-selector policy that both select the pod', async () => {
    sim.create('serviceaccounts', ns, { metadata: { name: 'api', labels: { team: 'pay' } } });
    sim.create(
      'securitygrouppolicies',
      ns,
      byAccount('by-account', { team: 'pay' }, ['sg-aaaa1111', 'sg-bbbb2222']),
    );
    sim.create('securitygrouppolicies', ns, {
      apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'by-label', namespace: ns },
      spec: {
        podSelector: { matchLabels: { app: 'api-pods' } },
        securityGroups: { groupIds: ['sg-bbbb2222', 'sg-cccc3333'] },
      },
    });
    await deploy('api-pods', 'api');
    expect(groupsOf('api-pods')).toEqual(['sg-aaaa1111,sg-bbbb2222,sg-cccc3333']);
  });

  it('gives nothing to pods of an account that does not exist', async () => {
    sim.create('securitygrouppolicies', ns, byAccount('pay', { team: 'pay' }, ['sg-aaaa1111']));
    await deploy('ghost-pods', 'ghost');
    expect(groupsOf('ghost-pods')).toEqual(['']);
  });
});
