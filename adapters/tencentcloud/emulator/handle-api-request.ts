import type { IncomingHttpHeaders } from 'node:http';
import type { ActionRateLimiter } from './action-rate-limiter.ts';
import type { CloudAction, EmulatorWorld } from './cloud-action.ts';
import { CloudApiError, isCloudApiError } from './cloud-api-error.ts';
import type { Fault, FaultInjector } from './fault-injector.ts';
import { validateRequest } from './request-shape.ts';
import { unflattenQuery } from './flattened-query.ts';
import { checkTimestamp, checkToken, findKey, signatureFailure } from './signer-checks.ts';
import {
  parseTc3Authorization,
  tc3Date,
  tc3Host,
  tc3Signature,
  tc3SignaturesEqual,
} from './tc3-signature.ts';
import { v1CommonParameters, v1Signature, v1SignaturesEqual } from './v1-signature.ts';

/**
 * One API 3.0 request from headers and raw body to the `{"Response":…}` document, in the order
 * the real gateway works: authenticate (not for an anonymous action such as
 * AssumeRoleWithWebIdentity), find the action, throttle, then the business logic. Keys are the
 * configured ones or temporary ones the emulated STS issued, accepted until they expire.
 */
export interface ApiCredential {
  secretId: string;
  secretKey: string;
  token?: string;
}

/**
 * The request line: a POST carries its parameters as a JSON body, a GET flattened in the query
 * string (then the body is empty, and the TC3 signature covers the query as sent).
 */
export interface ApiRequestLine {
  method: string;
  /** The raw query string after `?`, as sent (percent-encoded). */
  query: string;
  /** The peer address of the connection. */
  callerIp?: string;
}

/** Who a call came from: a key (with or without token), or nobody for an anonymous action. */
export interface CallSigner {
  secretId: string | null;
  withToken: boolean;
}

export interface ApiRequestDeps {
  credentials: ApiCredential[];
  /** Temporary keys the emulated STS issued: accepted with their token until they expire. */
  temporaryCredential?: (
    secretId: string,
  ) => { secretKey: string; token: string; expiresAtMs: number } | undefined;
  now: () => Date;
  actionsByVersion: Record<string, Record<string, CloudAction>>;
  world: EmulatorWorld;
  limiter: ActionRateLimiter | undefined;
  faults: FaultInjector;
  /** `at`: the instant the call is counted and its rate limit judged, one for both. */
  countCall: (action: string, at: Date) => void;
  /** Sees every counted call with its signer. */
  logCall?: (action: string, signer: CallSigner) => void;
  newRequestId: () => string;
  /** Sees bugs of the emulator itself, which the client only sees as InternalError. */
  onUnexpectedError?: (error: unknown) => void;
}

export interface ApiResult {
  action: string | undefined;
  response: { Response: Record<string, unknown> };
  latencyMs: number;
  /** Whether the call changed (or could have changed) the world: it ran without an API error. */
  applied: boolean;
  /** An injected fault of the transport (5xx, timeout, lost answer): the HTTP layer acts it out. */
  transport?: Exclude<Fault, { kind: 'apiError' }>;
}

const faultMessages: Record<string, string> = {
  InternalError: 'An internal error has occurred. Retry your request.',
  RequestLimitExceeded: 'Your current request times equals to `limit` in a second.',
};

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function authenticate(
  headers: IncomingHttpHeaders,
  body: Buffer,
  line: ApiRequestLine,
  deps: ApiRequestDeps,
): CallSigner {
  const auth = parseTc3Authorization(header(headers, 'authorization'));
  if (!auth) {
    throw new CloudApiError(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is missing or malformed.',
    );
  }
  const timestamp = checkTimestamp(header(headers, 'x-tc-timestamp'), deps.now);
  const found = findKey(auth.secretId, deps);
  if (!auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('content-type')) {
    throw new CloudApiError(
      'AuthFailure.SignatureFailure',
      'SignedHeaders must include content-type and host.',
    );
  }
  if (auth.date !== tc3Date(timestamp)) {
    throw new CloudApiError(
      'AuthFailure.SignatureFailure',
      'The credential date does not match the request timestamp.',
    );
  }
  const headerValues: Record<string, string> = {};
  for (const name of auth.signedHeaders) headerValues[name] = header(headers, name) ?? '';
  const signed = {
    secretKey: found.credential.secretKey,
    service: auth.service,
    timestamp,
    method: line.method,
    query: line.query,
    headers: headerValues,
    signedHeaders: auth.signedHeaders,
    body,
  };
  // The Host as the Node SDK signs it (no port), or as sent (the Python and Go SDKs, tccli).
  const matches = [false, true].some((hostWithPort) =>
    tc3SignaturesEqual(tc3Signature({ ...signed, hostWithPort }), auth.signature),
  );
  if (!matches) throw signatureFailure();
  const sentToken = header(headers, 'x-tc-token');
  checkToken(found, sentToken, deps.now);
  return { secretId: auth.secretId, withToken: sentToken !== undefined };
}

/**
 * The parameters of a request signed with the v1 method (HmacSHA1/HmacSHA256): no Authorization
 * header, and a Signature among the query's parameters (GET) or the form body's (POST).
 */
function v1Parameters(
  headers: IncomingHttpHeaders,
  body: Buffer,
  line: ApiRequestLine,
): URLSearchParams | undefined {
  if (header(headers, 'authorization') !== undefined) return undefined;
  const form = (header(headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
  const text = line.method === 'GET' ? line.query : form ? body.toString('utf8') : undefined;
  if (text === undefined) return undefined;
  const params = new URLSearchParams(text);
  return params.has('Signature') ? params : undefined;
}

function authenticateV1(
  params: URLSearchParams,
  headers: IncomingHttpHeaders,
  line: ApiRequestLine,
  deps: ApiRequestDeps,
): CallSigner {
  const secretId = params.get('SecretId');
  if (!secretId) throw new CloudApiError('MissingParameter', 'The parameter `SecretId` is missing.');
  checkTimestamp(params.get('Timestamp') ?? undefined, deps.now);
  if (!/^\d+$/.test(params.get('Nonce') ?? ''))
    throw new CloudApiError('MissingParameter', 'The parameter `Nonce` is missing or malformed.');
  const found = findKey(secretId, deps);
  const sent = header(headers, 'host') ?? '';
  // The host as addressed: without port, or with it as the SDKs sign their endpoint.
  const matches = [tc3Host(sent), sent.trim().toLowerCase()].some((host) =>
    v1SignaturesEqual(
      v1Signature({
        secretKey: found.credential.secretKey,
        method: line.method,
        host,
        params,
        signatureMethod: params.get('SignatureMethod') ?? undefined,
      }),
      params.get('Signature') ?? '',
    ),
  );
  if (!matches) throw signatureFailure();
  const token = params.get('Token') ?? undefined;
  checkToken(found, token, deps.now);
  return { secretId, withToken: token !== undefined };
}

/** The action's own parameters of a v1 request: all but the common ones. */
function v1ActionParameters(params: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...params].filter(([name]) => !v1CommonParameters.has(name)));
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new CloudApiError('InvalidParameter', 'The request body is not valid JSON.');
  }
}

export function handleApiRequest(
  headers: IncomingHttpHeaders,
  body: Buffer,
  deps: ApiRequestDeps,
  line: ApiRequestLine = { method: 'POST', query: '' },
): ApiResult {
  const requestId = deps.newRequestId();
  let action: string | undefined;
  let latencyMs = 0;
  // A lost or late answer is lost whatever it says, a refusal as much as a success.
  let transport: ApiResult['transport'];
  try {
    // TC3 sends the common parameters as X-TC-* headers; v1 among the others.
    const v1 = v1Parameters(headers, body, line);
    const common = (name: string) =>
      v1 ? (v1.get(name) ?? undefined) : header(headers, `x-tc-${name.toLowerCase()}`);
    action = common('Action');
    if (!action) throw new CloudApiError('MissingParameter', 'The parameter `Action` is missing.');
    const version = common('Version');
    if (!version) throw new CloudApiError('MissingParameter', 'The parameter `Version` is missing.');
    const actions = deps.actionsByVersion[version];
    const anonymous = actions !== undefined && Object.hasOwn(actions, action) && actions[action]?.anonymous;
    const signer = anonymous
      ? { secretId: null, withToken: false }
      : v1
        ? authenticateV1(v1, headers, line, deps)
        : authenticate(headers, body, line, deps);
    if (!actions) throw new CloudApiError('NoSuchVersion', `The API version \`${version}\` does not exist.`);
    const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!handler) throw new CloudApiError('InvalidAction', `The action \`${action}\` is not found.`);
    const region = common('Region');
    if (!region) throw new CloudApiError('MissingParameter', 'The parameter `Region` is missing.');
    // Counted and limited at one instant, as the cloud does: a call counted in one second is never
    // judged against the next one's limit.
    const arrivedAt = deps.now();
    deps.countCall(action, arrivedAt);
    deps.logCall?.(action, signer);
    if (deps.limiter && !deps.limiter.admit(action, arrivedAt)) {
      throw new CloudApiError(
        'RequestLimitExceeded',
        `Your current request times exceed the limit of ${action} in a second.`,
      );
    }
    const decision = deps.faults.decide(action);
    latencyMs = decision.latencyMs;
    const { fault } = decision;
    if (fault && fault.kind !== 'apiError') transport = fault;
    if (fault?.kind === 'apiError')
      throw new CloudApiError(fault.code, faultMessages[fault.code] ?? `Injected fault ${fault.code}.`);
    // A gateway error never reaches the service: nothing is applied, and no Response is written.
    if (fault?.kind === 'http5xx')
      return {
        action,
        latencyMs,
        applied: false,
        transport: fault,
        response: { Response: { RequestId: requestId } },
      };
    const params = v1
      ? unflattenQuery(v1ActionParameters(v1))
      : line.method === 'GET'
        ? unflattenQuery(line.query)
        : parseBody(body);
    const request = validateRequest(params, handler.shape as never);
    const result = handler.handle(request, { world: deps.world, region, callerIp: line.callerIp });
    // Round-trip through JSON so no shared object of the state leaks into a response.
    return {
      action,
      latencyMs,
      applied: true,
      ...(transport ? { transport } : {}),
      response: { Response: { ...JSON.parse(JSON.stringify(result)), RequestId: requestId } },
    };
  } catch (error) {
    if (!isCloudApiError(error)) deps.onUnexpectedError?.(error);
    const code = isCloudApiError(error) ? error.code : 'InternalError';
    const message = isCloudApiError(error) ? error.message : 'An internal error has occurred.';
    return {
      action,
      latencyMs,
      applied: false,
      ...(transport ? { transport } : {}),
      response: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } },
    };
  }
}
