/**
 * The sandbox's people: alice and dave request for my-namespace; bob and carol (who reads 中文)
 * approve. Each has a Slack and a WeCom id too: one identity, three platforms. The sre group lists
 * bob; carol is in it through the fake Slack's user group S0SRE and the fake WeCom's department
 * 42 (`sandboxDirectory`), so taking her out of both there ends her approvals within 15 s.
 * erin is the data team (group dba): she owns the `orders-db` group, so a grant that writes into it
 * (`allow tcp:3306 to sg-ordersdb`) waits for her as well as for an sre.
 */
import type { PolicyConfigInput } from '../policy/policy-config.ts';

export const sandboxPolicy: PolicyConfigInput = {
  people: [
    { id: 'alice', name: 'Alice', slack: 'U0ALICE', wecom: 'alice' },
    { id: 'dave', name: 'Dave', slack: 'U0DAVE', wecom: 'dave' },
    { id: 'bob', name: 'Bob', slack: 'U0BOB', wecom: 'bob' },
    { id: 'carol', name: 'Carol', locale: 'zh', slack: 'U0CAROL', wecom: 'carol' },
    { id: 'erin', name: 'Erin', slack: 'U0ERIN', wecom: 'erin' },
  ],
  groups: {
    sre: { members: ['bob'], slackUserGroup: 'S0SRE', wecomDepartment: 42 },
    developers: ['alice', 'dave'],
    dba: ['erin'],
  },
  // Groups sgops did not make are touched only with their owners' sign-off; the cluster group has
  // no owner here, so only its two DNS rules (the namespace's to approve) are ever written into it.
  securityGroupOwners: [{ name: 'orders-db', owners: ['group:dba'] }],
  directoryTtlMs: 15_000,
  rules: [
    {
      clusters: ['cls-sandbox1'],
      namespaces: ['my-namespace'],
      requesters: ['group:developers'],
      approvers: ['group:sre'],
      quorum: 1,
    },
  ],
};

/** What the sandbox's fake Slack and WeCom directories hold at start. */
export const sandboxDirectory = {
  slackUserGroups: { S0SRE: ['U0CAROL'] },
  wecomDepartments: { 42: ['carol'] },
};
