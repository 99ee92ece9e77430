import type { EmulatorStateSource } from '../../adapters/kubernetes/simulator/network-from-emulator.ts';
import { networkFromEmulator } from '../../adapters/kubernetes/simulator/network-from-emulator.ts';
import type { NetworkModel } from '../../adapters/kubernetes/simulator/network-model.ts';
import { AppError } from '../errors.ts';

export interface WireNetworkModelOptions {
  region: string;
  clusterId: string;
}

/**
 * The Kubernetes simulator's network model for the sandbox: the emulator's security groups, with
 * the cluster's `tke-worker-security-for-<cluster-id>` group covering normal nodes and CoreDNS.
 * Pass the result as `createKubernetesSimulator({ network })`; the emulator need not be started.
 */
export function wireNetworkModel(
  emulator: EmulatorStateSource,
  options: WireNetworkModelOptions,
): NetworkModel {
  const name = `tke-worker-security-for-${options.clusterId}`;
  const group = emulator.state().securityGroups.find((g) => g.region === options.region && g.name === name);
  if (group === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      `The cloud emulator has no cluster security group ${name} in ${options.region}.`,
      {
        hint: 'Seed the emulator with sandboxCloudSeed(clusterId) for the same cluster id and region.',
      },
    );
  }
  return networkFromEmulator(emulator, { region: options.region, clusterGroupId: group.id });
}
