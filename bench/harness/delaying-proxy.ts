/**
 * An HTTP proxy that holds every request `delayMs` before passing it on, so the Kubernetes
 * simulator answers as a real API server a network hop away would (the emulator has its own
 * latency option). A watch is delayed once, at its start; its stream then flows as it comes.
 */
import { createServer, request as forward } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayingProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startDelayingProxy(targetUrl: string, delayMs: number): Promise<DelayingProxy> {
  const target = new URL(targetUrl);
  const server: Server = createServer((req, res) => {
    setTimeout(() => {
      const upstream = forward(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
