/**
 * Reads a Slack user group's members (`usergroups.users.list`, bot scope `usergroups:read`) for
 * policy groups that name one. A disabled group is not asked for (`include_disabled` stays off),
 * so it answers no members: it grants nothing. Errors are mapped once, like every Slack call.
 */
import type { webApi } from '@slack/bolt';
import { AppError } from '../../src/errors.ts';
import { mapSlackError } from './map-slack-error.ts';

const method = 'usergroups.users.list';

/** Slack errors that only the policy file or the workspace's plan can fix. */
const groupHints: Record<string, string> = {
  no_such_subteam: "No such Slack user group: check the group's slackUserGroup id (usergroups.list)",
  plan_upgrade_required: 'This Slack workspace has no user groups (a Standard plan or above has them)',
};

export function slackUserGroupReader(client: webApi.WebClient): (userGroupId: string) => Promise<string[]> {
  return async (usergroup) => {
    let users: string[] | undefined;
    try {
      ({ users } = await client.usergroups.users.list({ usergroup }));
    } catch (error) {
      const mapped = mapSlackError(error, method);
      const hint = groupHints[String(mapped.details['slackError'])];
      if (hint === undefined) throw mapped;
      throw new AppError('CONFIG_INVALID', `${mapped.message} (${usergroup})`, {
        details: { ...mapped.details, usergroup },
        cause: error,
        hint,
      });
    }
    return (users ?? []).filter((id) => typeof id === 'string' && id.length > 0);
  };
}
