import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isClusterId } from '../domain/is-cluster-id.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { isSecurityGroupId } from '../domain/is-security-group-id.ts';
import { ownerEntryMatch } from './owner-entry-match.ts';
import { parseDuration } from '../domain/parse-duration.ts';
import { identityKey, type ChatIdentity } from '../ports/chat-identity.ts';

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

/**
 * What the policy accepts of each chat platform: a person's id on it and its directory group
 * field, as the registered platforms declare them. `any` (the config file's first read, before
 * the platforms are known) takes any extra string field of a person and any extra group field;
 * createPolicy then checks them against the registered platforms.
 */
export type PolicyIdentities = readonly ChatIdentity[] | 'any';

function personSchemaFor(identities: PolicyIdentities) {
  const base = z.strictObject({
    id: personIdSchema,
    name: z.string().min(1),
    locale: z.enum(['en', 'zh']).optional(),
  });
  if (identities === 'any') return base.catchall(z.string().min(1));
  return base
    .extend(Object.fromEntries(identities.map((i) => [i.platform, i.personId.optional()])))
    .catchall(z.never());
}

/**
 * A group: its listed people (`[bob, carol]`), or `{ members, slackUserGroup, wecomDepartment }`
 * whose membership is the union of the listed people and the people (in `people`) whose id on
 * that platform is in that platform's group (each platform declares its group field).
 */
function groupSchemaFor(identities: PolicyIdentities) {
  const base = z.strictObject({ members: z.array(personIdSchema).default([]) });
  const fields =
    identities === 'any'
      ? base.catchall(z.union([z.string(), z.number()]))
      : base
          .extend(
            Object.fromEntries(
              identities.flatMap((i) =>
                i.directoryGroup ? [[i.directoryGroup.field, i.directoryGroup.value.optional()]] : [],
              ),
            ),
          )
          .catchall(z.never());
  return z.union([z.array(personIdSchema), fields]);
}

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
  /**
   * `true` lets a repair here run without a person's sign-off when its plan only restores what the
   * grant's own audited writes made (every repair plan is: missing rules sgops wrote, the policy,
   * the label, pods lacking the group) and writes into no other team's group; the audit records
   * that the policy approved it. `false` (the default): the namespace's approvers sign, as for a grant.
   */
  autoApproveRepairs: z.boolean().default(false),
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
export function policyConfigSchemaFor(identities: PolicyIdentities) {
  const platforms = identities === 'any' ? null : identities;
  return z
    .strictObject({
      people: z.array(personSchemaFor(identities)).default([]),
      groups: z.record(groupNameSchema, groupSchemaFor(identities)).default({}),
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
    .superRefine((parsed, ctx) => {
      const config = parsed as unknown as PolicyConfig;
      const ids = new Set<string>();
      const platformIds = new Map((platforms ?? []).map((i) => [i, new Set<string>()]));
      config.people.forEach((person, i) => {
        if (ids.has(person.id))
          ctx.addIssue({
            code: 'custom',
            path: ['people', i, 'id'],
            message: `duplicate person id "${person.id}"`,
          });
        ids.add(person.id);
        for (const [identity, seen] of platformIds) {
          const platformId = person[identity.platform];
          if (platformId === undefined) continue;
          // Each platform says how its ids compare (WeCom's are case-insensitive, Slack's exact).
          const key = identityKey(identity, platformId);
          if (seen.has(key)) {
            ctx.addIssue({
              code: 'custom',
              path: ['people', i, identity.platform],
              message: `duplicate ${identity.platform} id "${platformId}"`,
            });
          }
          seen.add(key);
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
        const owners = expandPrincipals(entry.owners, config, potentialMembers(config, platforms)).size;
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
        const approvers = expandPrincipals(rule.approvers, config, potentialMembers(config, platforms)).size;
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
}

/** The policy as the config file is first read (see PolicyIdentities). */
export const policyConfigSchema = policyConfigSchemaFor('any');

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

export type PolicyConfig = Omit<z.output<typeof policyConfigSchema>, 'people' | 'groups'> & {
  people: Person[];
  groups: Record<string, GroupConfig>;
};
export type SecurityGroupOwnerEntry = PolicyConfig['securityGroupOwners'][number];
export type PolicyConfigInput = z.input<typeof policyConfigSchema>;
export type PolicyRule = PolicyConfig['rules'][number];
/** A person: id, name, locale, and an id on each platform they use (`slack: U123`). */
export interface Person {
  id: string;
  name: string;
  locale?: 'en' | 'zh';
  [platform: string]: string | undefined;
}
/** A group as the file may write it (the output form is one too). */
export type GroupConfig =
  string[] | { members?: string[] | undefined; [field: string]: string | number | string[] | undefined };

/** A group in one shape, whichever way the file wrote it: listed people, and directory groups by field. */
export interface GroupSpec {
  members: string[];
  /** `{ field: 'slackUserGroup', value: 'S0123' }`, one per platform group it names. */
  directory: { field: string; value: string | number }[];
}

export function groupSpecOf(group: GroupConfig): GroupSpec {
  if (Array.isArray(group)) return { members: group, directory: [] };
  const { members, ...fields } = group;
  const directory = Object.entries(fields).flatMap(([field, value]) =>
    typeof value === 'string' || typeof value === 'number' ? [{ field, value }] : [],
  );
  return { members: members ?? [], directory };
}

/** The person field of the platform whose directory group field this is (any field, before they are known). */
function platformOfField(field: string, platforms: readonly ChatIdentity[] | null): string | null {
  if (platforms === null) return null;
  return platforms.find((i) => i.directoryGroup?.field === field)?.platform ?? null;
}

/** Everyone a group could hold: its listed people and everyone with an id on a platform it reads. */
function potentialMembers(
  config: Pick<PolicyConfig, 'people' | 'groups'>,
  platforms: readonly ChatIdentity[] | null,
): GroupMembers {
  const extraFields = (p: Person) => Object.keys(p).filter((k) => !['id', 'name', 'locale'].includes(k));
  return (group) => {
    const spec = config.groups[group];
    if (spec === undefined) return [];
    const { members, directory } = groupSpecOf(spec);
    const via = `group:${group}`;
    const reachable = (p: Person) =>
      directory.some(({ field }) => {
        const platform = platformOfField(field, platforms);
        return platform === null ? extraFields(p).length > 0 : p[platform] !== undefined;
      });
    return [...members, ...config.people.filter(reachable).map((p) => p.id)].map((id) => [id, via] as const);
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
export function parsePolicyConfig(raw: unknown, identities: PolicyIdentities): PolicyConfig {
  const result = policyConfigSchemaFor(identities).safeParse(raw);
  if (result.success) return result.data as PolicyConfig;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new AppError('CONFIG_INVALID', `The access policy is invalid: ${issues.join('; ')}`, {
    hint: 'Fix the policy file (people, groups, rules) and restart.',
    details: { issues },
  });
}
