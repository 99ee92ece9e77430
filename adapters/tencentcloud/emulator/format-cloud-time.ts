/**
 * Tencent Cloud shows times as "YYYY-MM-DD HH:MM:SS" in Beijing time (UTC+8, no DST), so the
 * emulator does too.
 */
export function formatCloudTime(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 19).replace('T', ' ');
}
