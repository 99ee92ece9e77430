/**
 * The chat line a decision button stands for, in the language of the card that was clicked
 * (`approve R7K2`, `拒绝 R7K2 原因`): a platform whose buttons arrive as bare clicks hands the
 * intake this line, and the grammar (src/commands) stays the core's.
 */
import type { Locale } from '../domain/locale.ts';

export type DecisionLine = (
  decision: 'approve' | 'deny' | 'repair',
  requestId: string,
  locale: Locale,
  reason?: string,
) => string;
