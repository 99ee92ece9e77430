import type { KubeConfig } from '@kubernetes/client-node';

/** What in a kubeconfig would let someone act as its users: tokens, passwords, client keys. */
export function kubeconfigSecrets(kc: KubeConfig): string[] {
  return kc
    .getUsers()
    .flatMap((user) => [user.token, user.password, user.keyData])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}
