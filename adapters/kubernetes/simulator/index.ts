export { createKubernetesSimulator } from './create-kubernetes-simulator.ts';
export type {
  KubernetesSimulator,
  KubernetesSimulatorOptions,
  SimulatorState,
} from './create-kubernetes-simulator.ts';
export type { KubeObject } from './kube-object.ts';
export { sampleApplication, sampleSecurityGroupPolicy } from './sample-application.ts';
export { normalNodeName, seedSampleWorld, superNodeNames } from './seed-sample-world.ts';
export type { SeedSampleWorldOptions } from './seed-sample-world.ts';
export { isRolledOut, waitForRollout } from './wait-for-rollout.ts';
export type { FaultPlan, FaultRule } from './fault-injector.ts';
export type { KubeletConfig } from './kubelet.ts';
export type { NetworkModel, NetworkRule, SecurityGroupRules } from './network-model.ts';
export { networkFromEmulator } from './network-from-emulator.ts';
export type { EmulatorStateSource, NetworkFromEmulatorOptions } from './network-from-emulator.ts';
export { probeAnnotation, probeCommand } from './probe-spec.ts';
export type { ProbeSpec } from './probe-spec.ts';
