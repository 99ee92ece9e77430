/* global process, fetch, console, AbortSignal, URL */
// The container health check (Dockerfile HEALTHCHECK, compose, Kubernetes exec probes): exit 0 when
// sgops answers 2xx on the path, 1 otherwise. Plain JavaScript so it starts fast without tsx.
//   node deploy/healthcheck.mjs [path]                        → $SGOPS_HEALTH_URL or http://127.0.0.1:8080
//   node deploy/healthcheck.mjs --sandbox <state-dir> [path]  → the console URL in <state-dir>/sandbox.json
// The sandbox listens on loopback only, on a port it picks, so its URL is read from its state file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

async function baseUrl(args) {
  const at = args.indexOf('--sandbox');
  if (at === -1) return process.env.SGOPS_HEALTH_URL || 'http://127.0.0.1:8080';
  const stateDir = args[at + 1];
  if (!stateDir) throw new Error('--sandbox needs the state directory');
  args.splice(at, 2);
  const info = JSON.parse(await readFile(path.join(stateDir, 'sandbox.json'), 'utf8'));
  if (!info?.console?.url) throw new Error(`no console URL in ${stateDir}/sandbox.json yet`);
  return info.console.url;
}

async function main(argv) {
  const args = [...argv];
  const base = await baseUrl(args);
  const target = new URL(args[0] ?? '/healthz', base);
  const res = await fetch(target, {
    signal: AbortSignal.timeout(Number(process.env.SGOPS_HEALTH_TIMEOUT_MS) || 4000),
  });
  if (!res.ok) throw new Error(`${target.href} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return target.href;
}

main(process.argv.slice(2)).then(
  (href) => {
    console.log(`healthy: ${href}`);
    process.exit(0);
  },
  (error) => {
    console.error(`unhealthy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
