// The emulator's public surface: what tests, the sandbox and the contract suite import.
export { createTencentCloudEmulator } from './create-tencent-cloud-emulator.ts';
export type { TencentCloudEmulator, TencentCloudEmulatorOptions } from './create-tencent-cloud-emulator.ts';
export { ordersDbGroupId, sandboxCloudSeed, withTeamGroups } from './sandbox-cloud-seed.ts';
export { clusterKubeconfig } from './cluster-kubeconfig.ts';
export type {
  ClusterPatch,
  SeedAddon,
  SeedCluster,
  SeedVirtualNode,
  SeedVirtualNodePool,
} from './cluster-store.ts';
export type { SeedGroup } from './seed-group.ts';
export type { FaultConfig } from './fault-injector.ts';
export type { HoldSpec, HoldView } from './call-holds.ts';
export type { EmulatorStateView } from './emulator-state.ts';
export type { IssuedCredentialView, StsOptions, WebIdentityTrust } from './sts-authority.ts';
export type { SignedCall } from './signer-log.ts';
export { credentialProviderActions } from './sts-actions.ts';
