/**
 * Who is in a chat platform's own groups (a Slack user group, a WeCom department), as that
 * platform's user ids. The policy reads them to expand groups that name one; a reader is present
 * only when its platform is configured, keyed by the group field its platform declares.
 */
export type DirectoryReader = {
  // A method, so a reader may take the one kind of value its field holds (a WeCom department's number).
  read(value: string | number): Promise<string[]>;
}['read'];

/** Group field (`slackUserGroup`, `wecomDepartment`) → the reader of such groups' members. */
export type DirectoryReaders = Readonly<Record<string, DirectoryReader>>;
