import type { Said } from '../../src/domain/words.ts';

/** One line of a plan, grant's or revoke's: what will change, and how a person would do it by hand. */
export interface PlannedChange {
  system: 'tencentcloud' | 'kubernetes';
  /** One sentence: what will change (a plain string in plans recorded before they spoke both languages). */
  summary: Said;
  /**
   * The equivalent command a person could run by hand (tccli or kubectl): a POSIX shell line that
   * runs as printed; tccli lines name the region (see rules/tccli-lines.ts).
   */
  command: string;
  /**
   * Already as it would leave it (a re-grant's rule, policy or pods): the step will find it and
   * write nothing. The plan lists it apart, and `command` is then a line that shows it.
   */
  inPlace?: true;
}
