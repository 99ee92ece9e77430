/**
 * Task ids of approval cards: unique per app for ever, so they carry the request, a digest of the
 * approver (userids may hold characters task ids may not) and the send time with some randomness.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newWeComTaskId(requestId: string, userId: string, at: Date): string {
  const request = requestId.replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  const user = createHash('sha256').update(userId).digest('hex').slice(0, 10);
  return `sgops-${request}-${user}-${at.getTime().toString(36)}${randomBytes(3).toString('hex')}`;
}
