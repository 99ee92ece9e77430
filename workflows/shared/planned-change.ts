/** One line of a plan, grant's or revoke's: what will change, and how a person would do it by hand. */
export interface PlannedChange {
  system: 'tencentcloud' | 'kubernetes';
  /** One sentence: what will change. */
  summary: string;
  /** The equivalent command a person could run by hand (tccli or kubectl). */
  command: string;
}
