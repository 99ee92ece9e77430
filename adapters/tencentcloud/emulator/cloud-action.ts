import type { ClusterStore } from './cluster-store.ts';
import type { RequestShape } from './request-shape.ts';
import type { SecurityGroupLimits } from './security-group-limits.ts';
import type { SecurityGroupStore } from './security-group-store.ts';
import type { StsAuthority } from './sts-authority.ts';

/** What every action handler may touch: the emulated account's state and the caller's region. */
export interface EmulatorWorld {
  groups: SecurityGroupStore;
  clusters: ClusterStore;
  rulesPerDirection: number;
  /** What DescribeSecurityGroupLimits reports. */
  limits: SecurityGroupLimits;
  kubeconfigFor: (clusterId: string) => string;
  sts: StsAuthority;
}

export interface ActionContext {
  world: EmulatorWorld;
  region: string;
  /** The caller's address as seen on the socket: what `MY_PUBLIC_IP` in a rule stands for. */
  callerIp?: string;
}

export interface CloudAction {
  shape: RequestShape<unknown> | Record<string, unknown>;
  /** Documented requests per second (the reference's numbers; 20 where unverified). */
  rateLimit: number;
  /** Not signed: the gateway lets it through without a credential (AssumeRoleWithWebIdentity). */
  anonymous?: boolean;
  handle(request: unknown, ctx: ActionContext): Record<string, unknown>;
}

/**
 * Ties a handler to the SDK's request and response models: the request is validated against a
 * shape of Req, and the handler must return a Res (minus RequestId, which the server adds).
 */
export function cloudAction<Req, Res extends { RequestId?: string }>(
  shape: RequestShape<Req>,
  rateLimit: number,
  handle: (request: Req, ctx: ActionContext) => Omit<Res, 'RequestId'>,
): CloudAction {
  return {
    shape: shape as Record<string, unknown>,
    rateLimit,
    handle: (request, ctx) => handle(request as Req, ctx) as Record<string, unknown>,
  };
}
