/**
 * The sandbox's own certificate authority and the Kubernetes simulator's serving certificate
 * signed by it, as a real cluster has: the kubeconfig carries the CA, so kubectl, client-node,
 * the Python client and `sgops start` verify the server as they would any cluster's — no
 * insecure-skip-tls-verify. Made once per state directory and kept with the world.
 */
import selfsigned from 'selfsigned';

export interface SandboxTls {
  ca: { cert: string; key: string };
  server: { cert: string; key: string };
}

const tenYears = 3650 * 24 * 3600 * 1000;

export async function makeSandboxCa(now = new Date()): Promise<SandboxTls> {
  const validity = { notBeforeDate: now, notAfterDate: new Date(now.getTime() + tenYears) };
  // P-256 and SHA-256: small, quick to make, and accepted by Go, OpenSSL and Node alike.
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'sgops sandbox CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'sgops sandbox kube-apiserver' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
    ],
  });
  return { ca: { cert: ca.cert, key: ca.private }, server: { cert: server.cert, key: server.private } };
}
