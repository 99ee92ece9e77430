/** The chat line that opens a revoke: `revoke …` (grammar in src/commands). */
import { openRevoke } from './open-revoke.ts';
import type { ChatLine, OpenRequestHandler } from '../workflow-module.ts';

export function opensRevoke({ command }: ChatLine): OpenRequestHandler | null {
  if (command?.kind !== 'revoke') return null;
  return (turn, deps) => openRevoke(command, turn, deps);
}
