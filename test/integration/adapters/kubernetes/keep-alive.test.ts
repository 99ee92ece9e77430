import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesCluster, kubeConfigFor } from '../../../../adapters/kubernetes/index.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';

/** A TCP relay in front of a server that counts the connections clients open through it. */
async function countingRelay(
  target: URL,
): Promise<{ url: string; connections: () => number; close(): void }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close() {
      for (const s of sockets) s.destroy();
      relay.close();
    },
  };
}

describe('the Kubernetes adapter’s connections', () => {
  const simulator = createKubernetesSimulator({});
  let simulatorUrl: URL;

  beforeAll(async () => {
    simulatorUrl = new URL((await simulator.start()).url);
    await seedSampleWorld(simulator);
  });
  afterAll(() => simulator.stop());

  it('are kept alive: ten requests in a row travel over one connection', async () => {
    const relay = await countingRelay(simulatorUrl);
    try {
      const cluster = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: relay.url }) });
      for (let i = 0; i < 10; i++) expect((await cluster.listNodes()).length).toBeGreaterThan(0);
      expect(relay.connections()).toBe(1);
    } finally {
      relay.close();
    }
  });

  describe('over TLS', () => {
    let dir: string;
    let server: HttpsServer;
    let serverUrl: string;
    let ca: string;
    let connections = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sgops-kube-tls-'));
      execFileSync('openssl', [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1'],
        ...['-subj', '/CN=kube.test', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ]);
      ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
      server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca }, (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: [] }));
      });
      server.on('secureConnection', () => (connections += 1));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      serverUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const kubeConfigTrusting = (caData: string | undefined) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: 'tls',
            server: serverUrl,
            skipTLSVerify: false,
            ...(caData ? { caData: Buffer.from(caData).toString('base64') } : {}),
          },
        ],
        users: [{ name: 'u', token: 'test-token' }],
        contexts: [{ name: 'tls', cluster: 'tls', user: 'u' }],
        currentContext: 'tls',
      });
      return kc;
    };

    it('verify the server against the kubeconfig’s CA and reuse one TLS connection', async () => {
      const before = connections;
      const cluster = createKubernetesCluster({ kubeConfig: kubeConfigTrusting(ca) });
      for (let i = 0; i < 5; i++) expect(await cluster.listNodes()).toEqual([]);
      expect(connections - before).toBe(1);
    });

    it('refuse a server the kubeconfig does not trust', async () => {
      const cluster = createKubernetesCluster({ kubeConfig: kubeConfigTrusting(undefined) });
      await expect(cluster.listNodes()).rejects.toThrow(/self-signed certificate/);
    });
  });
});
