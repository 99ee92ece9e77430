/**
 * Temporary credentials that renew themselves before they expire. The SDK's own providers
 * (STSCredential, OIDCRoleArnCredential in 4.1.x) cache their first answer's promise: a failed
 * exchange stays failed until restart, and the OIDC one renews only 600 ms before expiry (its
 * "600" is compared in milliseconds). So sgops calls their exchange itself and owns the cache.
 */
export interface CloudKeys {
  secretId: string;
  secretKey: string;
  /** Only with temporary keys; sent as X-TC-Token. */
  token?: string;
}

/** The SDK's DynamicCredential contract: its clients ask for keys before every call. */
export interface CloudCredential {
  getCredential(): Promise<CloudKeys>;
}

export interface TemporaryKeys {
  secretId: string;
  secretKey: string;
  token: string;
  /** When STS says they stop working (its ExpiredTime). */
  expiresAtMs: number;
}

export interface RefreshOptions {
  now?: () => number;
  /** Renew this long before expiry (default 5 minutes), or halfway through a shorter lifetime. */
  refreshBeforeMs?: number;
}

interface Held {
  keys: CloudKeys;
  refreshAt: number;
  /** Until when these keys are still worth sending if a renewal fails. */
  usableUntil: number;
}

export function refreshingCredential(
  exchange: () => Promise<TemporaryKeys>,
  options: RefreshOptions = {},
): CloudCredential {
  const now = options.now ?? Date.now;
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  let current: Held | undefined;
  let pending: Promise<Held> | undefined;

  // Concurrent callers share one exchange; a failure is not remembered, the next call tries again.
  function renew(): Promise<Held> {
    pending ??= (async () => {
      const obtainedAt = now();
      const { expiresAtMs, ...keys } = await exchange();
      const lifetime = Math.max(0, expiresAtMs - obtainedAt);
      current = {
        keys,
        refreshAt: expiresAtMs - Math.min(refreshBeforeMs, lifetime / 2),
        usableUntil: expiresAtMs - Math.min(30_000, lifetime / 4),
      };
      return current;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    async getCredential() {
      if (current && now() < current.refreshAt) return current.keys;
      try {
        return (await renew()).keys;
      } catch (error) {
        // A failed early renewal keeps the keys that still work.
        if (current && now() < current.usableUntil) return current.keys;
        throw error;
      }
    },
  };
}
