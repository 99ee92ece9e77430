import { randomBytes } from 'node:crypto';
import { CloudApiError } from './cloud-api-error.ts';

/**
 * The emulated STS's memory: which roles exist, which OIDC token it trusts, and the temporary
 * credentials it issued. The gateway accepts a call signed with issued keys (and their X-TC-Token)
 * until they expire, then refuses it with AuthFailure.TokenFailure.
 */
export interface StsOptions {
  /** Roles that exist; absent: any `qcs::cam::uin/<uin>:role…/<name>` ARN. */
  roleArns?: string[];
  /** What AssumeRoleWithWebIdentity accepts; absent: nothing. */
  webIdentity?: WebIdentityTrust;
  /** Lifetime of issued credentials in seconds, over any DurationSeconds: short, for renewal tests. */
  credentialSeconds?: number;
}

export interface WebIdentityTrust {
  providerId: string;
  /** The exact token (the projected token file's content). */
  token: string;
  /** The one role whose trust policy names this provider; absent: any existing role. */
  roleArn?: string;
}

export type StsAction = 'AssumeRole' | 'AssumeRoleWithWebIdentity';

export interface IssuedCredentialView {
  secretId: string;
  roleArn: string;
  sessionName: string;
  via: StsAction;
  issuedAt: string;
  expiresAt: string;
}

export interface TemporaryCredentialGrant {
  Credentials: { Token: string; TmpSecretId: string; TmpSecretKey: string };
  ExpiredTime: number;
  Expiration: string;
}

interface Issued extends IssuedCredentialView {
  secretKey: string;
  token: string;
  expiresAtMs: number;
}

const roleArnPattern = /^qcs::cam::uin\/\d+:role(Name)?\/.+$/;
const sessionNamePattern = /^[\w+=,.@-]{2,128}$/;
const maxDurationSeconds = 43_200;
const maxKept = 10_000;

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export class StsAuthority {
  readonly #roleArns: Set<string> | undefined;
  #webIdentity: WebIdentityTrust | undefined;
  readonly #credentialSeconds: number | undefined;
  readonly #now: () => Date;
  #issued = new Map<string, Issued>();

  constructor(options: StsOptions, now: () => Date) {
    this.#roleArns = options.roleArns ? new Set(options.roleArns) : undefined;
    this.#webIdentity = options.webIdentity;
    this.#credentialSeconds = options.credentialSeconds;
    this.#now = now;
  }

  /** Trusts another token from now on (kubelet rotated the projected token). */
  trustWebIdentity(trust: WebIdentityTrust | undefined): void {
    this.#webIdentity = trust;
  }

  checkRole(roleArn: string): void {
    const exists = this.#roleArns ? this.#roleArns.has(roleArn) : roleArnPattern.test(roleArn);
    if (!exists)
      throw new CloudApiError('ResourceNotFound.RoleNotFound', `The role ${roleArn} does not exist.`);
  }

  checkWebIdentity(providerId: string, webIdentityToken: string, roleArn: string): void {
    const trust = this.#webIdentity;
    if (!trust || trust.providerId !== providerId) {
      throw new CloudApiError(
        'InvalidParameter.ParamError',
        `The identity provider ${providerId} does not exist.`,
      );
    }
    if (trust.token !== webIdentityToken) {
      throw new CloudApiError(
        'InvalidParameter.WebIdentityTokenError',
        'The WebIdentityToken is invalid, expired, or not issued by the identity provider.',
      );
    }
    this.checkRole(roleArn);
    if (trust.roleArn !== undefined && trust.roleArn !== roleArn) {
      throw new CloudApiError(
        'UnauthorizedOperation',
        `The trust policy of role ${roleArn} does not allow identity provider ${providerId}.`,
      );
    }
  }

  issue(
    via: StsAction,
    roleArn: string,
    sessionName: string,
    durationSeconds?: number,
  ): TemporaryCredentialGrant {
    if (!sessionNamePattern.test(sessionName)) {
      throw new CloudApiError(
        'InvalidParameter.ParamError',
        'RoleSessionName must match [\\w+=,.@-]{2,128}.',
      );
    }
    if (durationSeconds !== undefined && (durationSeconds <= 0 || durationSeconds > maxDurationSeconds)) {
      throw new CloudApiError(
        'InvalidParameter.OverTimeError',
        `DurationSeconds must be between 1 and ${maxDurationSeconds}.`,
      );
    }
    const nowMs = this.#now().getTime();
    const lifetime = this.#credentialSeconds ?? durationSeconds ?? 7200;
    // ExpiredTime is whole seconds, as the real answer's is.
    const expiredTime = Math.floor(nowMs / 1000) + lifetime;
    const issued: Issued = {
      secretId: `AKID${token(24)}`,
      secretKey: token(24),
      token: token(96),
      roleArn,
      sessionName,
      via,
      issuedAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(expiredTime * 1000).toISOString(),
      expiresAtMs: expiredTime * 1000,
    };
    if (this.#issued.size >= maxKept) this.#issued.delete(this.#issued.keys().next().value as string);
    this.#issued.set(issued.secretId, issued);
    return {
      Credentials: { Token: issued.token, TmpSecretId: issued.secretId, TmpSecretKey: issued.secretKey },
      ExpiredTime: expiredTime,
      Expiration: issued.expiresAt.replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  /** The key, token and expiry of issued temporary credentials, for the gateway. */
  find(secretId: string): { secretKey: string; token: string; expiresAtMs: number } | undefined {
    const issued = this.#issued.get(secretId);
    return issued && { secretKey: issued.secretKey, token: issued.token, expiresAtMs: issued.expiresAtMs };
  }

  /** What was issued, oldest first, without keys or tokens. */
  issued(): IssuedCredentialView[] {
    return [...this.#issued.values()].map((i) => ({
      secretId: i.secretId,
      roleArn: i.roleArn,
      sessionName: i.sessionName,
      via: i.via,
      issuedAt: i.issuedAt,
      expiresAt: i.expiresAt,
    }));
  }
}
