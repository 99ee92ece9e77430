/** Per action: calls, the busiest second and the documented limit, from the emulator's per-second counts. */
import {
  documentedRateLimits,
  fallbackRateLimit,
} from '../../adapters/tencentcloud/documented-rate-limits.ts';

export interface RatePeak {
  action: string;
  calls: number;
  peak: number;
  limit: number;
}

export function ratePeaks(perSecond: Record<string, Record<string, number>>): RatePeak[] {
  return Object.entries(perSecond)
    .map(([action, seconds]) => {
      const counts = Object.values(seconds);
      return {
        action,
        calls: counts.reduce((a, b) => a + b, 0),
        peak: Math.max(0, ...counts),
        limit: documentedRateLimits[action] ?? fallbackRateLimit,
      };
    })
    .sort((a, b) => a.action.localeCompare(b.action));
}

export function formatRatePeaks(peaks: RatePeak[]): string {
  return peaks
    .map((p) => `  ${p.action}: ${p.calls} calls, peak ${p.peak}/s (limit ${p.limit}/s)`)
    .join('\n');
}
