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
