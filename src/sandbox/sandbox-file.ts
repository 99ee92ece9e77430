/** `sandbox.json`: how other processes (sgops say, kubectl, tests) find a running sandbox. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

export interface SandboxInfo {
  pid: number;
  startedAt: string;
  console: { url: string };
  tencentcloud: {
    endpoint: string;
    secretId: string;
    secretKey: string;
    region: string;
    adminUrl: string;
    /**
     * tccli against the emulator: source `envFile` (the keys and region as tccli reads them from
     * the environment) and add `--endpoint <endpoint>` to a line; `example` is one ready to run.
     */
    tccli: { envFile: string; endpoint: string; example: string };
  };
  kubernetes: { server: string; kubeconfig: string; adminUrl: string };
  redis: { url: string; private: boolean };
  database: { kind: 'pglite'; path: string };
  slack: { eventsUrl: string; signingSecret: string; fakeApiUrl: string; botUserId: string };
  wecom: {
    callbackUrl: string;
    token: string;
    encodingAESKey: string;
    corpId: string;
    agentId: number | string;
    fakeApiUrl: string;
  };
  logFile: string;
}

export const sandboxFileName = 'sandbox.json';

export async function readSandboxFile(stateDir: string): Promise<SandboxInfo> {
  const file = path.join(stateDir, sandboxFileName);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) {
    throw new AppError(
      'CONFIG_INVALID',
      `No sandbox is running for ${path.resolve(stateDir)} (no ${sandboxFileName}).`,
      {
        hint: 'Start one with `npm run sandbox` (or `npx sgops sandbox --state-dir DIR`) and try again.',
      },
    );
  }
  return JSON.parse(text) as SandboxInfo;
}
