import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../unit/deploy/deploy-files.ts';

/** Runs the container health check as Docker and Kubernetes do; resolves with its exit code and output. */
function healthcheck(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['deploy/healthcheck.mjs', ...args],
      { cwd: repoRoot, env: { PATH: process.env['PATH'], ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('the container health check', () => {
  let server: Server;
  let url: string;
  let stateDir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/healthz') res.writeHead(200).end('{"ok":true}');
      else if (req.url === '/readyz') res.writeHead(503).end('{"ready":false,"checks":{"redis":"down"}}');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stateDir = await mkdtemp(join(tmpdir(), 'sgops-health-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(stateDir, { recursive: true, force: true });
  });

  it('passes when sgops answers /healthz', async () => {
    const result = await healthcheck(['/healthz'], { SGOPS_HEALTH_URL: url });
    expect(result).toEqual({ code: 0, out: `healthy: ${url}/healthz\n` });
  });

  it('fails, quoting the answer, when /readyz is 503', async () => {
    const result = await healthcheck(['/readyz'], { SGOPS_HEALTH_URL: url });
    expect(result.code).toBe(1);
    expect(result.out).toContain('answered 503');
    expect(result.out).toContain('"redis":"down"');
  });

  it('fails when nothing listens', async () => {
    const result = await healthcheck([], { SGOPS_HEALTH_URL: 'http://127.0.0.1:9' });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^unhealthy: /);
  });

  it("finds the sandbox's loopback console through its state file", async () => {
    expect((await healthcheck(['--sandbox', stateDir, '/healthz'])).code).toBe(1);
    await writeFile(join(stateDir, 'sandbox.json'), JSON.stringify({ pid: 1, console: { url } }));
    const result = await healthcheck(['--sandbox', stateDir, '/healthz']);
    expect(result).toEqual({ code: 0, out: `healthy: ${url}/healthz\n` });
  });
});
