/**
 * The sandbox trusts whoever reaches it, because only this machine can. A browser tab on another
 * site can still reach it by DNS rebinding (its own name made to resolve to 127.0.0.1), but the
 * browser then sends that name as `Host`: answering only loopback names closes the hole.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const loopbackHost = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** `127.0.0.1`, `localhost` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && loopbackHost.test(host);
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps a listener so requests naming any other host get 403 with the reason, before any route sees them. */
export function loopbackHostsOnly(listener: Listener): Listener {
  return (req, res) => {
    if (isLoopbackHost(req.headers.host)) return listener(req, res);
    const asked = JSON.stringify((req.headers.host ?? '').slice(0, 100));
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        error: `This sandbox answers only on loopback (127.0.0.1, localhost or [::1]), not as host ${asked}. Open it at the URL it printed.`,
        code: 'NOT_AUTHORISED',
      }),
    );
  };
}
