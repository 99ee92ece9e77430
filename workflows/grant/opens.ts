/** The chat lines that open a grant: `grant …` and its dry run `plan …` (grammar in src/commands). */
import { openGrant } from './open-grant.ts';
import type { ChatLine, OpenRequestHandler } from '../workflow-module.ts';

export function opensGrant({ command }: ChatLine): OpenRequestHandler | null {
  if (command?.kind !== 'grant' && command?.kind !== 'plan') return null;
  return (turn, deps) => openGrant(command, turn, deps);
}
