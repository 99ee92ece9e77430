import { randomInt } from 'node:crypto';

// The alphabet Kubernetes uses for generated names (no vowels, no confusable digits).
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A stable short hash in the same alphabet, like the pod-template-hash label. */
export function stableHash(text: string, length = 10): string {
  // FNV-1a 32-bit, extended by re-hashing with a counter to get enough characters.
  let out = '';
  for (let round = 0; out.length < length; round += 1) {
    let h = 0x811c9dc5 ^ round;
    for (const ch of text) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    for (let i = 0; i < 4 && out.length < length; i += 1) {
      out += alphabet[h % alphabet.length];
      h = Math.floor(h / alphabet.length);
    }
  }
  return out;
}
