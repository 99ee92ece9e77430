import type { Locale } from './command.ts';

const steps: readonly { ms: number; en: string; zh: string }[] = [
  { ms: 24 * 60 * 60 * 1000, en: 'd', zh: '天' },
  { ms: 60 * 60 * 1000, en: 'h', zh: '小时' },
  { ms: 60 * 1000, en: 'm', zh: '分钟' },
  { ms: 1000, en: 's', zh: '秒' },
];

/**
 * `8h`, `1h30m`, `2d` / `8小时`, `1小时30分钟`: the shortest spelling that parseDuration reads
 * back to the same milliseconds (sub-second remainders are dropped; the grammar makes none).
 */
export function formatDuration(ms: number, locale: Locale): string {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const parts: string[] = [];
  for (const step of steps) {
    const count = Math.floor(rest / step.ms);
    if (count === 0) continue;
    parts.push(`${count}${step[locale]}`);
    rest -= count * step.ms;
  }
  return parts.length === 0 ? `0${steps[3]?.[locale] ?? 's'}` : parts.join('');
}
