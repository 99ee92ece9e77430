/**
 * The policy's people as the chat platforms name them: who a platform id is, and who is in a
 * group's platform groups (a Slack user group, a WeCom department) by the directory's last read.
 */
import { identityKey, type ChatIdentity } from '../ports/chat-identity.ts';
import type { GroupDirectory } from './group-directory.ts';
import { directorySourceKey } from './group-directory.ts';
import { groupSpecOf, type PolicyConfig, type Person } from './policy-config.ts';

export interface PlatformPeople {
  /** The person with this id on the platform; undefined when the platform declares no person field. */
  byPlatformId(platform: string, platformId: string): Person | null | undefined;
  /** Whether the platform declares a person field (the console does not: its ids are person ids). */
  declares(platform: string): boolean;
  /** A group's members now: listed people, plus mapped people in its directory sources' last read. */
  groupMembers(name: string): Iterable<readonly [personId: string, via: string]>;
}

export function platformPeople(
  config: PolicyConfig,
  identities: readonly ChatIdentity[],
  directory: Pick<GroupDirectory, 'members'> | undefined,
): PlatformPeople {
  // Per platform: the people with an id there, by the key the platform compares ids by.
  const byPlatform = new Map(
    identities.map((identity) => {
      const people = config.people.flatMap((p) => {
        const id = p[identity.platform];
        return id === undefined ? [] : [[identityKey(identity, id), p] as const];
      });
      return [identity.platform, { identity, people: new Map(people) }] as const;
    }),
  );
  const platformOfField = new Map(
    identities.flatMap((i) => (i.directoryGroup ? [[i.directoryGroup.field, i.platform] as const] : [])),
  );

  return {
    declares: (platform) => byPlatform.has(platform),
    byPlatformId(platform, platformId) {
      const on = byPlatform.get(platform);
      if (!on) return undefined;
      return on.people.get(identityKey(on.identity, platformId)) ?? null;
    },
    *groupMembers(name: string): Generator<readonly [string, string]> {
      const group = config.groups[name];
      if (group === undefined) return;
      const spec = groupSpecOf(group);
      for (const id of spec.members) yield [id, `group:${name}`];
      for (const { field, value } of spec.directory) {
        const platform = byPlatform.get(platformOfField.get(field) ?? '');
        const ids = directory?.members(field, value);
        if (!platform || !ids) continue;
        const keys = new Set([...ids].map((id) => identityKey(platform.identity, id)));
        const via = `group:${name}/${directorySourceKey(field, value)}`;
        for (const [key, person] of platform.people) if (keys.has(key)) yield [person.id, via];
      }
    },
  };
}
