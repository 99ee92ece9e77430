// The Tencent Cloud adapter's public surface.
export { createTencentCloudNetwork } from './create-tencent-cloud-network.ts';
export type { TencentCloudNetworkOptions } from './create-tencent-cloud-network.ts';
export { mapTencentError } from './map-tencent-error.ts';
