import type { RandomSource } from './seeded-random.ts';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Ids like `sg-1a2b3c4d`: prefix + 8 lower-case alphanumerics, never repeated. */
export function resourceIdGenerator(
  random: RandomSource,
): (prefix: string, taken: (id: string) => boolean) => string {
  return (prefix, taken) => {
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 8; i += 1) suffix += alphabet[Math.floor(random() * alphabet.length)];
      const id = `${prefix}-${suffix}`;
      if (!taken(id)) return id;
    }
  };
}
