/**
 * What makes a sandbox the same sandbox after a restart: the emulated account and the simulated
 * cluster (kept by the stand-ins under `world/`), the credentials that sign for the account, the
 * CA the kubeconfig trusts, and the queue prefix its jobs live under. PGlite keeps the requests
 * beside it; the two are made, kept and erased together, so they never tell different stories.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { auditCheckpointFileName } from '../audit/audit-checkpoint.ts';
import { AppError } from '../errors.ts';
import { makeSandboxCa } from './make-sandbox-ca.ts';
import type { SandboxTls } from './make-sandbox-ca.ts';

export interface SandboxWorld {
  /** Where the emulator and the simulator keep their state. */
  dir: string;
  /** True when this start made the world (first start, or after --reset). */
  fresh: boolean;
  credentials: { secretId: string; secretKey: string };
  tls: SandboxTls;
  /** The bearer token of the simulated cluster's one user. */
  kubeToken: string;
  /** A world's own BullMQ prefix: after --reset, jobs of the old world in a shared Redis are never taken up. */
  queuePrefix: string;
  /**
   * Marks a fresh world as made, once its requests' database exists too: a first start that dies
   * before this leaves nothing the next start would mistake for a world.
   */
  keep(): Promise<void>;
}

interface Identity {
  format: 1;
  credentials: SandboxWorld['credentials'];
  tls: SandboxTls;
  kubeToken: string;
  queuePrefix: string;
}

const identityName = 'identity.json';
/** Everything a sandbox writes into its state directory; --reset removes these and nothing else. */
const sandboxEntries = [
  'world',
  'pglite',
  'audit.key',
  auditCheckpointFileName,
  'kubeconfig',
  'tccli.env',
  'sandbox.log',
];

export async function openSandboxWorld(
  stateDir: string,
  options: { reset?: boolean } = {},
): Promise<SandboxWorld> {
  if (options.reset) await resetSandboxState(stateDir);
  const dir = path.join(stateDir, 'world');
  const identityFile = path.join(dir, identityName);
  const hasWorld = existsSync(identityFile);
  const hasRequests = existsSync(path.join(stateDir, 'pglite'));
  if (hasWorld !== hasRequests) {
    throw new AppError(
      'STATE_CONFLICT',
      hasRequests
        ? `${stateDir} holds requests but not the world they were made in (an older sgops did not keep it).`
        : `${stateDir} holds a world but not its requests (pglite/ is gone).`,
      {
        hint: 'Start afresh with `sgops sandbox --reset` (erases this sandbox’s requests and world), or use another --state-dir.',
      },
    );
  }
  if (hasWorld) {
    const identity = JSON.parse(await readFile(identityFile, 'utf8')) as Identity;
    return { dir, fresh: false, ...pick(identity), keep: async () => {} };
  }
  // What a first start that died early left behind is not a world: start it clean.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const identity: Identity = {
    format: 1,
    credentials: {
      secretId: `AKIDsandbox${randomBytes(8).toString('hex')}`,
      secretKey: randomBytes(24).toString('base64url'),
    },
    tls: await makeSandboxCa(),
    kubeToken: randomBytes(24).toString('base64url'),
    queuePrefix: `sgops-${randomBytes(4).toString('hex')}`,
  };
  const keep = () => writeFile(identityFile, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  return { dir, fresh: true, ...pick(identity), keep };
}

export async function resetSandboxState(stateDir: string): Promise<void> {
  for (const entry of sandboxEntries) await rm(path.join(stateDir, entry), { recursive: true, force: true });
}

function pick(identity: Identity): Omit<SandboxWorld, 'dir' | 'fresh' | 'keep'> {
  const { credentials, tls, kubeToken, queuePrefix } = identity;
  return { credentials, tls, kubeToken, queuePrefix };
}
