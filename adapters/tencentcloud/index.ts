// The Tencent Cloud adapter's public surface.
export { createTencentCloudNetwork } from './create-tencent-cloud-network.ts';
export type { TencentCloudNetworkOptions } from './create-tencent-cloud-network.ts';
export { createCloudCredential, credentialIdentity } from './create-cloud-credential.ts';
export type { CloudCredentialOptions, CredentialSpec } from './create-cloud-credential.ts';
export type { CloudCredential, CloudKeys } from './refreshing-credential.ts';
export { mapTencentError } from './map-tencent-error.ts';
export { createRateLimitedCloudNetwork } from './create-rate-limited-cloud-network.ts';
export type {
  RateLimitedCloudNetwork,
  RateLimitedCloudNetworkOptions,
} from './create-rate-limited-cloud-network.ts';
export { documentedRateLimits, fallbackRateLimit } from './documented-rate-limits.ts';
export { sdkActionsOf } from './sdk-actions-of.ts';
