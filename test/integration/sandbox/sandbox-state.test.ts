/**
 * What a person meets when the state directory or the ports are not as the sandbox would like:
 * a clear refusal that says what to do, and nothing half-started left behind.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/start-sandbox.ts';
import { openSandboxWorld } from '../../../src/sandbox/sandbox-world.ts';
import { appErrorOf } from '../../helpers/app-error-of.ts';

describe('the sandbox state directory and ports', () => {
  const dirs: string[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const newDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-sandbox-state-'));
    dirs.push(dir);
    return dir;
  };
  const occupy = async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  };

  it('refuses a --port whose next port is taken, naming it, and leaves nothing running', async () => {
    const dir = await newDir();
    const taken = await occupy();
    const error = await appErrorOf(startSandbox({ stateDir: dir, port: taken - 1, logLevel: 'silent' }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`Port ${taken} (Tencent Cloud emulator) is already in use.`);
    expect(error.hint).toContain('--port');
    expect(existsSync(path.join(dir, 'sandbox.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'redis.pid'))).toBe(false);
  }, 60_000);

  it('refuses a directory that holds requests but no world, saying how to start afresh', async () => {
    const dir = await newDir();
    await mkdir(path.join(dir, 'pglite'));
    const error = await appErrorOf(openSandboxWorld(dir));
    expect(error.code).toBe('STATE_CONFLICT');
    expect(error.message).toContain('holds requests but not the world they were made in');
    expect(error.hint).toContain('sgops sandbox --reset');
  });

  it('makes a world only once its requests exist too, and --reset erases both', async () => {
    const dir = await newDir();
    const first = await openSandboxWorld(dir);
    expect(first.fresh).toBe(true);
    // A start that died before its database was made left no world: the next start makes one again.
    const again = await openSandboxWorld(dir);
    expect(again.fresh).toBe(true);
    await mkdir(path.join(dir, 'pglite'));
    await again.keep();
    const kept = await openSandboxWorld(dir);
    expect(kept.fresh).toBe(false);
    expect(kept.credentials).toEqual(again.credentials);
    expect(kept.tls.ca.cert).toBe(again.tls.ca.cert);
    const identity = await readFile(path.join(dir, 'world', 'identity.json'), 'utf8');
    expect(identity).toContain(again.credentials.secretKey);

    const reset = await openSandboxWorld(dir, { reset: true });
    expect(reset.fresh).toBe(true);
    expect(reset.credentials.secretId).not.toBe(kept.credentials.secretId);
    expect(reset.queuePrefix).not.toBe(kept.queuePrefix);
    expect(existsSync(path.join(dir, 'pglite'))).toBe(false);
  });
});
