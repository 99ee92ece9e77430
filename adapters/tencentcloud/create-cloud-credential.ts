import { readFile } from 'node:fs/promises';
import {
  BasicCredential,
  OIDCRoleArnCredential,
  STSCredential,
} from 'tencentcloud-sdk-nodejs/tencentcloud/common/credential.js';
import type {
  ClientConfig,
  CredentialResult,
} from 'tencentcloud-sdk-nodejs/tencentcloud/common/interface.js';
import { AppError } from '../../src/errors.ts';
import { httpProfileOf } from './cloud-endpoint.ts';
import { refreshingCredential, type CloudCredential, type TemporaryKeys } from './refreshing-credential.ts';

/**
 * The three ways sgops may sign Tencent Cloud calls, each through the SDK's own provider:
 * permanent keys (BasicCredential), a role assumed with those keys (STSCredential, sts:AssumeRole),
 * or a role assumed with the pod's projected OIDC token (OIDCRoleArnCredential,
 * sts:AssumeRoleWithWebIdentity, an unsigned call). Every value comes from the configuration:
 * the OIDC provider is built with explicit parameters, never the no-argument form that reads
 * TKE_* from process.env itself.
 */
export type CredentialSpec =
  | { kind: 'secret'; secretId: string; secretKey: string; token?: string | undefined }
  | {
      kind: 'assumeRole';
      roleArn: string;
      roleSessionName: string;
      durationSeconds?: number | undefined;
      externalId?: string | undefined;
      secretId: string;
      secretKey: string;
      token?: string | undefined;
    }
  | {
      kind: 'oidc';
      roleArn: string;
      providerId: string;
      tokenFile: string;
      /** Region of the AssumeRoleWithWebIdentity call (TKE_REGION). */
      region: string;
      roleSessionName: string;
      durationSeconds?: number | undefined;
    };

export interface CloudCredentialOptions {
  /** One base URL for every service (the emulator); default https://sts.tencentcloudapi.com. */
  endpoint?: string | undefined;
  /** Region of the AssumeRole call. */
  region: string;
  /** Per STS exchange; default 10 s. */
  timeoutMs?: number;
  now?: () => number;
  refreshBeforeMs?: number;
  readTextFile?: (path: string) => Promise<string>;
}

class AssumeRoleExchange extends STSCredential {
  exchange(): Promise<CredentialResult> {
    return this.getCredentialWithStsAssumeRole();
  }
}

class WebIdentityExchange extends OIDCRoleArnCredential {
  exchange(): Promise<CredentialResult> {
    return this.getCredentialWithStsAssumeRoleWithWebIdentity();
  }
}

/** A stable name of the identity behind a spec (never a secret): the rate budget is kept per identity. */
export function credentialIdentity(spec: CredentialSpec): string {
  return spec.kind === 'secret' ? spec.secretId : spec.roleArn;
}

function temporaryKeys(result: CredentialResult, action: string, roleArn: string): TemporaryKeys {
  const expiresAtMs = Number(result.ExpiredTime) * 1000;
  if (!result.TmpSecretId || !result.TmpSecretKey || !result.Token || !Number.isFinite(expiresAtMs)) {
    throw new AppError('CLOUD_INTERNAL', `${action} for ${roleArn} answered without complete credentials`, {
      details: { action, roleArn },
      retryable: false,
    });
  }
  return {
    secretId: result.TmpSecretId,
    secretKey: result.TmpSecretKey,
    token: result.Token,
    expiresAtMs,
  };
}

/**
 * The SDK's providers wrap every failure in a plain Error that keeps only the message (the vendor
 * code is lost), so a refused token and an unreachable STS look alike: both are CLOUD_AUTH, not
 * retried, with a hint naming what to check.
 */
function exchangeFailed(
  action: string,
  error: unknown,
  details: Record<string, unknown>,
  hint: string,
): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('CLOUD_AUTH', `Could not get temporary credentials (${action}): ${message}`, {
    details: { action, ...details },
    hint,
    cause: error,
    retryable: false,
  });
}

export function createCloudCredential(
  spec: CredentialSpec,
  options: CloudCredentialOptions,
): CloudCredential {
  if (spec.kind === 'secret') {
    const basic = new BasicCredential(spec.secretId, spec.secretKey, spec.token);
    return { getCredential: () => Promise.resolve(basic) };
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const refresh = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.refreshBeforeMs === undefined ? {} : { refreshBeforeMs: options.refreshBeforeMs }),
  };
  const profile = { httpProfile: httpProfileOf(options.endpoint, 'sts', timeoutMs) };
  const duration = spec.durationSeconds === undefined ? {} : { DurationSeconds: spec.durationSeconds };

  if (spec.kind === 'assumeRole') {
    const clientConfig: ClientConfig = {
      credential: new BasicCredential(spec.secretId, spec.secretKey, spec.token),
      region: options.region,
      profile,
    };
    const provider = new AssumeRoleExchange(clientConfig, {
      RoleArn: spec.roleArn,
      RoleSessionName: spec.roleSessionName,
      ...duration,
      ...(spec.externalId === undefined ? {} : { ExternalId: spec.externalId }),
    });
    const hint =
      `Check that role ${spec.roleArn} exists, that its trust policy lets the CAM user of SecretId ` +
      `${spec.secretId} assume it, and that user's permission to sts:AssumeRole (docs/operator-guide.md, Credentials).`;
    return refreshingCredential(async () => {
      try {
        return temporaryKeys(await provider.exchange(), 'AssumeRole', spec.roleArn);
      } catch (error) {
        throw exchangeFailed('AssumeRole', error, { roleArn: spec.roleArn }, hint);
      }
    }, refresh);
  }

  const readTextFile = options.readTextFile ?? ((path: string) => readFile(path, 'utf8'));
  const details = { roleArn: spec.roleArn, providerId: spec.providerId, tokenFile: spec.tokenFile };
  const setupHint =
    'TKE mounts the token and sets TKE_WEB_IDENTITY_TOKEN_FILE when the ServiceAccount is annotated with ' +
    'tke.cloud.tencent.com/role-arn and the pod-identity-webhook add-on is installed (docs/operator-guide.md, Credentials).';
  const hint =
    `Check that ${spec.tokenFile} holds the ServiceAccount token projected for Tencent Cloud, that ` +
    `${spec.providerId} is the cluster's CAM OIDC provider, and that the trust policy of role ` +
    `${spec.roleArn} allows sts:AssumeRoleWithWebIdentity for this cluster's issuer and audience.`;
  return refreshingCredential(async () => {
    // Read on every exchange: kubelet rotates the projected token, so the first one goes stale.
    let token: string;
    try {
      token = (await readTextFile(spec.tokenFile)).trim();
    } catch (error) {
      throw new AppError(
        'CLOUD_AUTH',
        `The web identity token file ${spec.tokenFile} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        {
          details: { action: 'AssumeRoleWithWebIdentity', ...details },
          hint: setupHint,
          cause: error,
        },
      );
    }
    if (token === '') {
      throw new AppError('CLOUD_AUTH', `The web identity token file ${spec.tokenFile} is empty`, {
        details: { action: 'AssumeRoleWithWebIdentity', ...details },
        hint: setupHint,
      });
    }
    const provider = new WebIdentityExchange(
      // The call is unsigned (Authorization: SKIP); the SDK still wants a credential object.
      { credential: new BasicCredential('', ''), region: spec.region, profile },
      {
        RoleArn: spec.roleArn,
        RoleSessionName: spec.roleSessionName,
        WebIdentityToken: token,
        ProviderId: spec.providerId,
        ...duration,
      },
    );
    try {
      return temporaryKeys(await provider.exchange(), 'AssumeRoleWithWebIdentity', spec.roleArn);
    } catch (error) {
      throw exchangeFailed('AssumeRoleWithWebIdentity', error, details, hint);
    }
  }, refresh);
}
