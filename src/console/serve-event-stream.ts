/**
 * Server-Sent Events for the console: each source is a snapshot (the request list, the selected
 * request) sent again whenever it changes. Changes are noticed by looking again when the bot says
 * something (the usual sign that a workflow moved) and every `pollMs` besides, because steps write
 * audit rows and finish without saying anything to the console.
 */
import type { ServerResponse } from 'node:http';

export interface EventSource {
  event: string;
  load(): Promise<unknown>;
}

export interface EventStreamOptions {
  sources: EventSource[];
  /** Subscribes to a hint that something may have changed; returns the unsubscribe function. */
  wake(listener: () => void): () => void;
  pollMs: number;
  heartbeatMs: number;
  /** Where a failed look is reported (the stream keeps going). */
  onError(error: unknown): void;
}

export interface EventStream {
  /** Ends the stream (the server is closing, or the caller went away). */
  close(): void;
  /** Settles when the stream has ended. */
  done: Promise<void>;
}

export function serveEventStream(res: ServerResponse, options: EventStreamOptions): EventStream {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  let closed = false;
  let poke: (() => void) | null = null;
  // A hint that arrives while looking must not be lost: the next pause then returns at once.
  let dirty = false;
  const sent = new Map<string, string>();
  let lastWrite = Date.now();

  const write = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    lastWrite = Date.now();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    poke?.();
    res.end();
  };
  res.on('close', close);
  const unsubscribe = options.wake(() => {
    dirty = true;
    poke?.();
  });

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (dirty || closed) return resolve();
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        poke = null;
        resolve();
      }
      poke = finish;
    });

  const run = async () => {
    write('retry: 2000\n\n');
    while (!closed) {
      dirty = false;
      let failed = false;
      for (const source of options.sources) {
        try {
          const data = JSON.stringify(await source.load());
          if (sent.get(source.event) !== data) {
            sent.set(source.event, data);
            write(`event: ${source.event}\ndata: ${data}\n\n`);
          }
        } catch (error) {
          failed = true;
          options.onError(error);
        }
      }
      if (Date.now() - lastWrite >= options.heartbeatMs) write(': still here\n\n');
      // A failed look (the database restarting, say) waits a little longer before the next one.
      await pause(failed ? options.pollMs * 5 : options.pollMs);
    }
  };

  const done = run()
    .catch((error: unknown) => options.onError(error))
    .finally(() => {
      unsubscribe();
      close();
    });
  return { close, done };
}
