/** Signs a request body the way Slack does; for tests, benchmarks and the sandbox's scripted clicks. */
import { computeSlackSignature } from './verify-slack-signature.ts';

export interface SlackSignedHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignedHeaders {
  const ts = String(timestamp);
  return {
    'x-slack-signature': computeSlackSignature(signingSecret, ts, body),
    'x-slack-request-timestamp': ts,
  };
}
