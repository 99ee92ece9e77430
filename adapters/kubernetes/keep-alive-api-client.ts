/**
 * API clients that reuse their connections. client-node 1.x gives every request a fresh
 * http(s).Agent (KubeConfig.createAgent), so each Kubernetes request paid a new TCP (and TLS)
 * handshake: a grant makes about sixteen. The KubeConfig still authenticates every request (tokens,
 * exec plugins, client certificates); its one-off agent is then swapped for a keep-alive agent with
 * the same TLS options, one per distinct set, so a rotated client certificate gets an agent of its
 * own. Proxy agents are left as they are.
 */
import http from 'node:http';
import https from 'node:https';
import { createConfiguration, ServerConfiguration } from '@kubernetes/client-node';
import type { Configuration, KubeConfig, RequestContext } from '@kubernetes/client-node';

/** The agent options that decide which server and identity a connection is for. */
const tlsFields = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
  'ciphers',
  'secureProtocol',
] as const;

export type KeepAliveApiClientFactory = <T>(apiClientType: new (config: Configuration) => T) => T;

export function keepAliveApiClients(kc: KubeConfig): KeepAliveApiClientFactory {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('The kubeconfig has no current cluster');
  const agents = new Map<string, http.Agent>();

  const shared = (fresh: http.Agent): http.Agent => {
    // Node keeps an agent's constructor options on it; only plain agents are copied.
    const options = (fresh as unknown as { options: https.AgentOptions }).options;
    const key = JSON.stringify(tlsFields.map((f) => keyPart(options[f])));
    let agent = agents.get(key);
    if (agent === undefined) {
      const picked = Object.fromEntries(
        tlsFields.map((f) => [f, options[f]]).filter(([, v]) => v !== undefined),
      );
      agent =
        fresh.constructor === https.Agent
          ? new https.Agent({ ...picked, keepAlive: true })
          : new http.Agent({ keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };

  const authentication = {
    getName: () => 'sgops-keep-alive',
    async applySecurityAuthentication(context: RequestContext): Promise<void> {
      await kc.applySecurityAuthentication(context);
      const fresh = context.getAgent();
      if (fresh !== undefined && (fresh.constructor === https.Agent || fresh.constructor === http.Agent)) {
        context.setAgent(shared(fresh));
      }
    },
  };
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: authentication },
  });
  return (apiClientType) => new apiClientType(configuration);
}

function keyPart(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(keyPart);
  return value ?? null;
}
