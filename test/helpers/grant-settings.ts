/** The step settings of the sandbox cluster, as the composition root derives them, for tests that call steps directly. */
import type { GrantSettings } from '../../workflows/shared/step-ports.ts';

export function sandboxGrantSettings(
  timing: Pick<GrantSettings, 'pollDelayMs' | 'rolloutWaitMs'>,
): GrantSettings {
  return {
    region: 'ap-guangzhou',
    clusterGroupName: (id) => `tke-worker-security-for-${id}`,
    addonName: 'securitygrouppolicy',
    ...timing,
  };
}
