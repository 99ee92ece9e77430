/** The chat line that opens a repair: `repair <request-id>` / `修复 <请求编号>` (grammar in src/commands). */
import { openRepair } from './open-repair.ts';
import type { ChatLine, OpenRequestHandler } from '../workflow-module.ts';

export function opensRepair({ command }: ChatLine): OpenRequestHandler | null {
  if (command?.kind !== 'repair') return null;
  return (turn, deps) => openRepair(command, turn, deps);
}
