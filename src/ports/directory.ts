/**
 * Who is in a chat platform's own groups, as that platform's user ids. The policy reads them to
 * expand groups that name a Slack user group or a WeCom department; each reader is present only
 * when its platform is configured.
 */
export interface DirectoryReaders {
  /** Slack member ids (U…, W…) in a Slack user group (S…): `usergroups.users.list`. */
  slackUserGroup?: (userGroupId: string) => Promise<string[]>;
  /** WeCom userids directly in a department (not its sub-departments): `user/simplelist`. */
  wecomDepartment?: (departmentId: number) => Promise<string[]>;
}
