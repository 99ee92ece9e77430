/**
 * The sgops line a person types for a change, in their language, through the product's own command
 * formatter — so the line parses back to the command meant (a unit test holds this).
 */
import { formatCommand } from '../../commands/format-command.ts';
import type { Locale } from '../locale.ts';
import type { Change, FixContext } from './smallest-change.ts';

/** The line to type, or undefined when no sgops line makes the change (the `why` says what does). */
export function renderChange(change: Change, ctx: FixContext, locale: Locale): string | undefined {
  switch (change.kind) {
    case 'grant':
      return formatCommand(
        {
          kind: 'grant',
          target: ctx.target,
          namespace: ctx.namespace,
          ...(ctx.clusterId === undefined ? {} : { clusterId: ctx.clusterId }),
          ...(change.allow.length === 0 ? {} : { allow: change.allow }),
        },
        locale,
      );
    case 'repair':
      return formatCommand({ kind: 'repair', requestId: change.requestId }, locale);
    case 'recreatePods':
    case 'superNode':
    case 'byHand':
      return undefined;
  }
}
