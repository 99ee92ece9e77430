import type * as sts from 'tencentcloud-sdk-nodejs/tencentcloud/services/sts/v20180813/sts_models.js';
import { cloudAction, type CloudAction } from './cloud-action.ts';
import { CloudApiError } from './cloud-api-error.ts';

/**
 * STS 2018-08-13: the two exchanges behind sgops's credential options. AssumeRole is signed with
 * permanent (or temporary) keys; AssumeRoleWithWebIdentity is anonymous (the SDK sends
 * `Authorization: SKIP`): the OIDC token is the proof. Rates are not documented in the reference.
 */
function required(value: unknown, name: string): void {
  if (value === undefined || value === '') {
    throw new CloudApiError('MissingParameter', `The parameter \`${name}\` is missing.`);
  }
}

export const stsActions: Record<string, CloudAction> = {
  AssumeRole: cloudAction<sts.AssumeRoleRequest, sts.AssumeRoleResponse>(
    {
      RoleArn: 'string',
      RoleSessionName: 'string',
      DurationSeconds: 'number',
      Policy: 'string',
      ExternalId: 'string',
      Tags: [{ Key: 'string', Value: 'string' }],
      SourceIdentity: 'string',
      SerialNumber: 'string',
      TokenCode: 'string',
    },
    600,
    (request, { world }) => {
      required(request.RoleArn, 'RoleArn');
      required(request.RoleSessionName, 'RoleSessionName');
      world.sts.checkRole(request.RoleArn);
      return world.sts.issue('AssumeRole', request.RoleArn, request.RoleSessionName, request.DurationSeconds);
    },
  ),
  AssumeRoleWithWebIdentity: {
    ...cloudAction<sts.AssumeRoleWithWebIdentityRequest, sts.AssumeRoleWithWebIdentityResponse>(
      {
        ProviderId: 'string',
        WebIdentityToken: 'string',
        RoleArn: 'string',
        RoleSessionName: 'string',
        DurationSeconds: 'number',
      },
      600,
      (request, { world }) => {
        for (const name of ['ProviderId', 'WebIdentityToken', 'RoleArn', 'RoleSessionName'] as const)
          required(request[name], name);
        world.sts.checkWebIdentity(request.ProviderId, request.WebIdentityToken, request.RoleArn);
        return world.sts.issue(
          'AssumeRoleWithWebIdentity',
          request.RoleArn,
          request.RoleSessionName,
          request.DurationSeconds,
        );
      },
    ),
    anonymous: true,
  },
};

/**
 * Actions the credential providers call, never a sgops port: allowed by a role's trust policy
 * (or, for AssumeRole, the caller's own policy), not by the CAM policy sgops's ports need.
 */
export const credentialProviderActions: readonly string[] = Object.keys(stsActions);
