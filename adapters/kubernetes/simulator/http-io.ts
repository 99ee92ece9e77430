import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { StatusBody } from './api-status.ts';
import { badRequest } from './api-status.ts';

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** A Status answer; throttling and unavailability carry Retry-After like kube-apiserver's. */
export function sendStatus(res: ServerResponse, status: StatusBody): void {
  const retry = status.details?.['retryAfterSeconds'];
  sendJson(res, status.code, status, typeof retry === 'number' ? { 'Retry-After': String(retry) } : {});
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A server-side apply body: YAML, of which kubectl's JSON is a case. */
export async function readYamlBody(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text.trim() === '') return undefined;
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw badRequest(`error decoding YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the object provided is unrecognized (must be of type JSON)');
  }
}
