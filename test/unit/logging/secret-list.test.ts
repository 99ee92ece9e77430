import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kubeconfigSecrets } from '../../../adapters/kubernetes/kubeconfig-secrets.ts';
import { createSecretList, learningCredential } from '../../../src/logging/secret-list.ts';

describe('the list of secrets to mask', () => {
  it('starts with the configured ones and adds each learned value once, as a new array', () => {
    const list = createSecretList(['configured']);
    const before = list.values();
    list.learn(['learned', undefined, '', 'configured', 'learned']);
    expect(list.values()).toEqual(['configured', 'learned']);
    expect(list.values()).not.toBe(before);
    const same = list.values();
    list.learn(['learned']);
    expect(list.values()).toBe(same);
  });

  it('keeps only the newest learned values, never dropping a configured one', () => {
    const list = createSecretList(['configured'], 3);
    for (let i = 1; i <= 5; i++) list.learn([`temporary-${i}`]);
    expect(list.values()).toEqual(['configured', 'temporary-5', 'temporary-4', 'temporary-3']);
  });

  it('learns the keys a credential hands out, each time it renews them', async () => {
    const list = createSecretList([]);
    let n = 0;
    const credential = learningCredential(
      { getCredential: async () => ({ secretId: `AKID${++n}`, secretKey: `key-${n}`, token: `token-${n}` }) },
      list,
    );
    expect(await credential.getCredential()).toMatchObject({ secretKey: 'key-1' });
    await credential.getCredential();
    expect(list.values()).toEqual(['key-2', 'token-2', 'key-1', 'token-1']);
  });

  it('finds the token, password and client key of every user in a kubeconfig', () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://10.0.0.1', skipTLSVerify: false }],
      users: [
        { name: 'admin', keyData: 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t', certData: 'cert-is-public' },
        { name: 'bot', token: 'eyJhbGciOiJSUzI1NiJ9.token' },
        { name: 'basic', username: 'me', password: 'hunter22' },
      ],
      contexts: [{ name: 'x', cluster: 'c', user: 'admin' }],
      currentContext: 'x',
    });
    expect(kubeconfigSecrets(kc).sort()).toEqual(
      ['LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t', 'eyJhbGciOiJSUzI1NiJ9.token', 'hunter22'].sort(),
    );
  });
});
