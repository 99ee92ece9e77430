/**
 * The labels sgops stamps on the SecurityGroupPolicies it writes: who manages the policy, and which
 * request wrote it. Grant, rollback, revoke and `status policies` all read them from here.
 */
export const managedByLabel = { 'app.kubernetes.io/managed-by': 'sgops' };

/** Names the request that wrote the policy. */
export const requestLabel = 'sgops/request';

export const isManagedPolicy = (labels: Record<string, string> | undefined) =>
  Object.entries(managedByLabel).every(([k, v]) => labels?.[k] === v);
