/**
 * The secrets to mask: the configured ones, and those sgops only learns at run time — temporary
 * keys from STS, the credentials inside a kubeconfig fetched from TKE. Learned values are kept
 * newest first up to a bound, so a process renewing its keys for months does not mask an
 * ever-growing list on every log line (an expired key is useless to whoever reads it).
 */
export interface SecretList {
  /** The current secrets; a new array whenever the list changes. */
  values(): readonly string[];
  learn(values: readonly (string | null | undefined)[]): void;
}

export function createSecretList(configured: readonly string[], keepLearned = 32): SecretList {
  let learned: string[] = [];
  let current: readonly string[] = [...configured];
  return {
    values: () => current,
    learn(values) {
      const fresh = values.filter(
        (v): v is string => typeof v === 'string' && v.length > 0 && !current.includes(v),
      );
      if (fresh.length === 0) return;
      learned = [...new Set([...fresh, ...learned])].slice(0, keepLearned);
      current = [...configured, ...learned];
    },
  };
}

/** A credential provider whose keys are learned as secrets each time they are handed out. */
export function learningCredential<K extends { secretKey: string; token?: string }>(
  credential: { getCredential(): Promise<K> },
  secrets: SecretList,
): { getCredential(): Promise<K> } {
  return {
    async getCredential() {
      const keys = await credential.getCredential();
      secrets.learn([keys.secretKey, keys.token]);
      return keys;
    },
  };
}
