import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResult } from './handle-api-request.ts';

/**
 * Puts one API answer on the wire, or acts out its transport fault:
 * - none: HTTP 200 with the `{"Response":…}` document (the API's errors included);
 * - `http5xx`: the gateway's 502/503 with a plain-text body and no `Response`;
 * - `timeout`: no answer; the connection stays open for `holdMs` (or until the client gives up or
 *   the emulator stops), then is cut — `holdMs` must exceed the client's own timeout;
 * - `answerLost`: the connection is cut at once, so the client never sees the answer.
 */
export async function sendApiAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  result: ApiResult,
  stopping: AbortSignal,
): Promise<void> {
  const fault = result.transport;
  if (fault?.kind === 'answerLost') {
    res.destroy();
    return;
  }
  if (fault?.kind === 'timeout') {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    await sleep(fault.holdMs, undefined, { signal: AbortSignal.any([gone.signal, stopping]) }).catch(
      () => undefined,
    );
    res.destroy();
    return;
  }
  const traceId = req.headers['x-tc-traceid'];
  const trace = typeof traceId === 'string' ? { 'x-tc-traceid': traceId } : {};
  if (fault?.kind === 'http5xx') {
    const text = fault.status === 503 ? 'Service Unavailable' : 'Bad Gateway';
    res.writeHead(fault.status, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(text),
      ...trace,
    });
    res.end(text);
    return;
  }
  const text = JSON.stringify(result.response);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...trace,
  });
  res.end(text);
}
