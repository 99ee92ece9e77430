/** The decision lines platforms hand the intake, written in the chat grammar (src/commands). */
import { formatRequestCommand } from '../commands/format-command.ts';
import type { DecisionLine } from '../ports/decision-line.ts';

export const decisionLine: DecisionLine = (decision, requestId, locale, reason) =>
  formatRequestCommand(decision, locale, requestId, reason);
