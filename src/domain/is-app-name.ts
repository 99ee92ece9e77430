import { isLabelValue } from './is-label-value.ts';

/** `app <name>` selects pods labelled app=<name>, so an app name is a non-empty label value. */
export function isAppName(value: string): boolean {
  return typeof value === 'string' && value.length > 0 && isLabelValue(value);
}
