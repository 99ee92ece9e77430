import { KubeConfig } from '@kubernetes/client-node';

/**
 * A KubeConfig for one API server URL and optional bearer token (the simulator, or a real server).
 * client-node 1.4 refuses plain `http:` servers unless skipTLSVerify is true, so that is the
 * default for http URLs (there is no TLS to verify); https servers are verified unless told.
 */
export function kubeConfigFor(options: {
  server: string;
  token?: string;
  skipTLSVerify?: boolean;
}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'sgops',
        server: options.server,
        skipTLSVerify: options.skipTLSVerify ?? options.server.startsWith('http:'),
      },
    ],
    users: [{ name: 'sgops', ...(options.token === undefined ? {} : { token: options.token }) }],
    contexts: [{ name: 'sgops', cluster: 'sgops', user: 'sgops' }],
    currentContext: 'sgops',
  });
  return kc;
}
