import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignerLog } from './signer-log.ts';
import type { StsAuthority, WebIdentityTrust } from './sts-authority.ts';

/**
 * Admin routes of the emulated STS, beside admin-routes.ts: `GET /_admin/sts/issued` (temporary
 * credentials without keys), `GET /_admin/sts/calls` (the latest calls with their signers),
 * `PUT /_admin/sts/web-identity` (trust another token, as after kubelet rotated it). Answers
 * true when the route was one of these.
 */
export function handleStsAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deps: { sts: StsAuthority; signers: SignerLog },
): boolean {
  const path = (req.url ?? '').split('?')[0]?.replace(/\/+$/, '') ?? '';
  if (!path.startsWith('/_admin/sts/')) return false;
  const route = `${req.method ?? 'GET'} ${path}`;
  const send = (status: number, value: unknown) => {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (route === 'GET /_admin/sts/issued') send(200, deps.sts.issued());
  else if (route === 'GET /_admin/sts/calls') send(200, deps.signers.list());
  else if (route === 'PUT /_admin/sts/web-identity') {
    try {
      const trust = (body.length === 0 ? null : JSON.parse(body.toString('utf8'))) as WebIdentityTrust | null;
      if (trust !== null && (typeof trust.providerId !== 'string' || typeof trust.token !== 'string'))
        throw new TypeError('a web identity trust needs providerId and token strings');
      deps.sts.trustWebIdentity(trust ?? undefined);
      send(200, {});
    } catch (error) {
      send(400, { error: error instanceof Error ? error.message : String(error) });
    }
  } else send(404, { error: `no admin route ${route}` });
  return true;
}
