import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isClusterId } from '../domain/is-cluster-id.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { isSecurityGroupId } from '../domain/is-security-group-id.ts';
import { ownerEntryMatch } from './owner-entry-match.ts';
import { parseDuration } from '../domain/parse-duration.ts';

/** Person ids are stable and platform-neutral; no ':' so they never clash with `group:<name>`. */
const personIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a person id is letters, digits, ".", "_" or "-" (at most 64)');
const groupNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a group name is letters, digits, ".", "_" or "-" (at most 64)',
  );

/** A rule's people: a person id, `group:<name>`, or `*` for everyone in `people`. */
const principalSchema = z.union([
  z.literal('*'),
  personIdSchema,
  z.string().regex(/^group:[A-Za-z0-9][A-Za-z0-9._-]*$/),
]);

const personSchema = z.strictObject({
  id: personIdSchema,
  name: z.string().min(1),
  locale: z.enum(['en', 'zh']).optional(),
  slack: z.string().min(1).optional(),
  wecom: z.string().min(1).optional(),
});

/** A Slack user group id (`S…`, as in the group's link or `usergroups.list`). */
const slackUserGroupSchema = z
  .string()
  .regex(/^S[A-Z0-9]{2,}$/, 'a Slack user group id looks like S0123ABCD (see usergroups.list)');

/**
 * A group: its listed people (`[bob, carol]`), or `{ members, slackUserGroup, wecomDepartment }`
 * whose membership is the union of the listed people and the people (in `people`) whose Slack id
 * is in that Slack user group or whose WeCom userid is directly in that WeCom department.
 */
const groupSchema = z.union([
  z.array(personIdSchema),
  z.strictObject({
    members: z.array(personIdSchema).default([]),
    slackUserGroup: slackUserGroupSchema.optional(),
    /** WeCom department id (部门ID); its direct members only, not its sub-departments. */
    wecomDepartment: z.number().int().positive().optional(),
  }),
]);

const ruleSchema = z.strictObject({
  clusters: z
    .array(
      z
        .string()
        .refine((c) => c === '*' || isClusterId(c), 'a cluster is a cluster id (cls-xxxxxxxx) or "*"'),
    )
    .min(1),
  namespaces: z
    .array(z.string().refine((n) => n === '*' || isDns1123Label(n), 'a namespace is a DNS-1123 label or "*"'))
    .min(1),
  requesters: z.array(principalSchema).default([]),
  approvers: z.array(principalSchema).default([]),
  /** Distinct approvers needed. */
  quorum: z.number().int().min(1).default(1),
  requesterMayApprove: z.boolean().default(false),
  /**
   * The longest grant allowed here, written like the chat's `for` (`8h`, `2d`, `1h30m`); read
   * with the same parser, so the YAML and the chat agree. Absent: no limit beyond the grammar's 90 days.
   */
  maxDuration: z
    .string()
    .refine(
      (d) => parseDuration(d) !== null,
      'maxDuration is a duration like 30m, 8h, 2d or 1h30m, from 1 second to 90 days',
    )
    .optional(),
  /**
   * `{ when: always }` approves requests here without a human: only for people who may request
   * here at all, and, when `requesters` is given, only for those listed. `never` (the default
   * when absent) keeps human approval.
   */
  autoApprove: z
    .strictObject({
      when: z.enum(['always', 'never']),
      requesters: z.array(principalSchema).optional(),
    })
    .optional(),
});

/**
 * Who owns a security group sgops did not make: matched by exactly one of its id, its name (`*`
 * matches any run of characters) or a tag (`key=value`, or `key` for any value). A request that
 * attaches such a group to pods or writes a rule into it waits for `quorum` of these owners.
 */
const securityGroupOwnerSchema = z
  .strictObject({
    id: z.string().refine(isSecurityGroupId, 'a security group id looks like sg-xxxxxxxx').optional(),
    name: z.string().min(1).max(60).optional(),
    tag: z
      .string()
      .regex(/^[^=\s]+(=[^\s]*)?$/, 'a tag is key=value, or key for any value')
      .optional(),
    owners: z.array(principalSchema).min(1),
    quorum: z.number().int().min(1).default(1),
  })
  .refine(
    (entry) => [entry.id, entry.name, entry.tag].filter((m) => m !== undefined).length === 1,
    'an owner entry matches by exactly one of id, name or tag',
  );

/**
 * Who may request and approve what. Rules are read top to bottom and the FIRST rule whose
 * clusters and namespaces both match decides (like a firewall): put narrow rules first.
 */
export const policyConfigSchema = z
  .strictObject({
    people: z.array(personSchema).default([]),
    groups: z.record(groupNameSchema, groupSchema).default({}),
    rules: z.array(ruleSchema).default([]),
    /**
     * Owners of security groups sgops did not make (another team's database group, the cluster
     * group); read top to bottom, the first entry that matches a group owns it. A group that no
     * entry matches cannot be attached to pods or written into (beyond the cluster group's DNS rules).
     */
    securityGroupOwners: z.array(securityGroupOwnerSchema).default([]),
    /**
     * How long members read from a Slack user group or a WeCom department are trusted before they
     * are read again (in the background); 5 minutes when absent.
     */
    directoryTtlMs: z.number().int().positive().optional(),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    const platformIds = { slack: new Set<string>(), wecom: new Set<string>() };
    config.people.forEach((person, i) => {
      if (ids.has(person.id))
        ctx.addIssue({
          code: 'custom',
          path: ['people', i, 'id'],
          message: `duplicate person id "${person.id}"`,
        });
      ids.add(person.id);
      for (const platform of ['slack', 'wecom'] as const) {
        const platformId = person[platform];
        if (platformId === undefined) continue;
        // WeCom user ids are case-insensitive; Slack's are exact.
        const key = platform === 'wecom' ? platformId.toLowerCase() : platformId;
        if (platformIds[platform].has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['people', i, platform],
            message: `duplicate ${platform} id "${platformId}"`,
          });
        }
        platformIds[platform].add(key);
      }
    });
    for (const [group, spec] of Object.entries(config.groups)) {
      const listedAt = Array.isArray(spec) ? ['groups', group] : ['groups', group, 'members'];
      groupSpecOf(spec).members.forEach((member, i) => {
        if (!ids.has(member))
          ctx.addIssue({ code: 'custom', path: [...listedAt, i], message: `unknown person "${member}"` });
      });
    }
    // Approvals count under an entry's match (`name=orders-db`): two entries with one match would
    // ask one set of owners and count another.
    const matches = new Set<string>();
    config.securityGroupOwners.forEach((entry, e) => {
      const match = ownerEntryMatch(entry);
      if (matches.has(match))
        ctx.addIssue({
          code: 'custom',
          path: ['securityGroupOwners', e],
          message: `a second owner entry for ${match}: give each group's owners in one entry`,
        });
      matches.add(match);
      entry.owners.forEach((principal, i) =>
        principalProblem(principal, config, ids, ['securityGroupOwners', e, 'owners', i], ctx),
      );
      const owners = expandPrincipals(entry.owners, config, potentialMembers(config)).size;
      if (entry.quorum > owners)
        ctx.addIssue({
          code: 'custom',
          path: ['securityGroupOwners', e, 'quorum'],
          message: `quorum ${entry.quorum} can never be reached: the entry has ${owners} possible owner(s)`,
        });
    });
    config.rules.forEach((rule, r) => {
      const lists = [
        { path: ['rules', r, 'requesters'], principals: rule.requesters },
        { path: ['rules', r, 'approvers'], principals: rule.approvers },
        { path: ['rules', r, 'autoApprove', 'requesters'], principals: rule.autoApprove?.requesters ?? [] },
      ];
      for (const list of lists) {
        list.principals.forEach((principal, i) =>
          principalProblem(principal, config, ids, [...list.path, i], ctx),
        );
      }
      // Directory groups count everyone they could ever hold: the people with an id on that platform.
      const approvers = expandPrincipals(rule.approvers, config, potentialMembers(config)).size;
      // A rule that approves every request by itself needs no people to reach its quorum.
      const allAutomatic = rule.autoApprove?.when === 'always' && rule.autoApprove.requesters === undefined;
      if (rule.quorum > approvers && !allAutomatic) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', r, 'quorum'],
          message: `quorum ${rule.quorum} can never be reached: the rule has ${approvers} possible approver(s)`,
        });
      }
    });
  });

/** A principal must name a known person or group. */
function principalProblem(
  principal: string,
  config: { groups: Record<string, unknown> },
  ids: ReadonlySet<string>,
  path: (string | number)[],
  ctx: z.RefinementCtx,
) {
  if (principal === '*') return;
  if (principal.startsWith('group:')) {
    if (!(principal.slice(6) in config.groups))
      ctx.addIssue({ code: 'custom', path, message: `unknown group "${principal}"` });
  } else if (!ids.has(principal)) {
    ctx.addIssue({ code: 'custom', path, message: `unknown person "${principal}"` });
  }
}

export type PolicyConfig = z.output<typeof policyConfigSchema>;
export type SecurityGroupOwnerEntry = PolicyConfig['securityGroupOwners'][number];
export type PolicyConfigInput = z.input<typeof policyConfigSchema>;
export type PolicyRule = PolicyConfig['rules'][number];
export type Person = PolicyConfig['people'][number];
/** A group as the file may write it (the output form is one too). */
export type GroupConfig = z.input<typeof groupSchema>;

/** A group in one shape, whichever way the file wrote it. */
export interface GroupSpec {
  members: string[];
  slackUserGroup?: string;
  wecomDepartment?: number;
}

export function groupSpecOf(group: GroupConfig): GroupSpec {
  return Array.isArray(group) ? { members: group } : { ...group, members: group.members ?? [] };
}

/** Everyone a group could hold: its listed people and everyone with an id on a platform it reads. */
function potentialMembers(config: Pick<PolicyConfig, 'people' | 'groups'>): GroupMembers {
  return (group) => {
    const spec = config.groups[group];
    if (spec === undefined) return [];
    const { members, slackUserGroup, wecomDepartment } = groupSpecOf(spec);
    const via = `group:${group}`;
    return [
      ...members,
      ...config.people
        .filter(
          (p) =>
            (slackUserGroup !== undefined && p.slack !== undefined) ||
            (wecomDepartment !== undefined && p.wecom !== undefined),
        )
        .map((p) => p.id),
    ].map((id) => [id, via] as const);
  };
}

/** A group's members, each with what put them there (e.g. `group:sre/slackUserGroup:S0123`). */
type GroupMembers = (group: string) => Iterable<readonly [personId: string, via: string]>;

/**
 * The people principals name (`*`, `group:x`, ids): person id → what put them there (`*`,
 * `listed`, or the group member's via), each de-duplicated, in config order.
 */
export function expandPrincipals(
  principals: readonly string[],
  config: Pick<PolicyConfig, 'people'>,
  membersOf: GroupMembers,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const note = (personId: string, via: string) => {
    const vias = out.get(personId);
    if (vias === undefined) out.set(personId, [via]);
    else if (!vias.includes(via)) vias.push(via);
  };
  for (const principal of principals) {
    if (principal === '*') config.people.forEach((p) => note(p.id, '*'));
    else if (principal.startsWith('group:'))
      for (const [id, via] of membersOf(principal.slice(6))) note(id, via);
    else note(principal, 'listed');
  }
  return out;
}

/** Validates raw config (e.g. parsed YAML); CONFIG_INVALID lists every problem with its path. */
export function parsePolicyConfig(raw: unknown): PolicyConfig {
  const result = policyConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new AppError('CONFIG_INVALID', `The access policy is invalid: ${issues.join('; ')}`, {
    hint: 'Fix the policy file (people, groups, rules) and restart.',
    details: { issues },
  });
}
