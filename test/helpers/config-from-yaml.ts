import { stringify as toYaml } from 'yaml';
import { loadConfig, type Config } from '../../src/config.ts';

/** What every configuration needs besides its cloud and clusters: a policy and an audit key. */
export const policyAndAuditKey = { policy: {}, audit: { key: 'audit-key-0123456789abcdef' } };

/** A complete configuration: one cluster, reached with static keys, and the kubeconfig of the environment. */
export const completeConfig = {
  tencentcloud: { secretId: 'AKIDexample', secretKey: 'example', region: 'ap-guangzhou' },
  kubernetes: {},
  defaults: { clusterId: 'cls-a1b2c3d4' },
  ...policyAndAuditKey,
};

/** Loads `config` as sgops reads it from its YAML file (SGOPS_CONFIG), beside the environment `env`. */
export function configFromYaml(config: Record<string, unknown>, env: Record<string, string> = {}): Config {
  return loadConfig({ SGOPS_CONFIG: '/etc/sgops/config.yaml', ...env }, () => toYaml(config));
}
