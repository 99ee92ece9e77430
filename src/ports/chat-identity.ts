/**
 * How a chat platform names people and groups in the access policy: a person's id on it (the
 * person field named after the platform, `slack: U123`) and, optionally, a group field whose
 * members the platform's directory reads (`slackUserGroup: S0123`). The policy accepts exactly
 * what the registered platforms declare.
 */
import type { z } from 'zod';

export interface ChatIdentity {
  /** The platform's name, which is also the person field (`slack`, `wecom`, …). */
  platform: string;
  /** A person's id on the platform, as the policy file writes it. */
  personId: z.ZodType<string>;
  /** What ids are compared by (WeCom userids are case-insensitive); the id itself by default. */
  keyOf?: (id: string) => string;
  /** A group field naming a group of the platform's own, read through its DirectoryReader. */
  directoryGroup?: {
    field: string;
    value: z.ZodType<string | number>;
    /** How warnings name such a group and its platform: `a Slack user group`, `Slack`. */
    described: string;
    platformTitle: string;
  };
}

/** The key a platform compares a person's id by. */
export function identityKey(identity: Pick<ChatIdentity, 'keyOf'>, id: string): string {
  return identity.keyOf ? identity.keyOf(id) : id;
}
