import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with line continuations joined and comments dropped, tagged with their stage. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') stage += 1;
    out.push({ keyword, args: match[2]!.trim(), stage });
  }
  return out;
}

const dockerfile = instructions(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === finalStage);
const only = (keyword: string) => final.filter((i) => i.keyword === keyword);

/** COPY sources from the build context (not from another stage), without flags and destination. */
function contextSources(): string[] {
  return dockerfile
    .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) => {
      const words = i.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      return words.slice(0, -1);
    });
}

describe('the Dockerfile', () => {
  it('builds in two stages: npm ci for dependencies, then node:20-bookworm-slim for the runtime', () => {
    const froms = dockerfile.filter((i) => i.keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(froms.at(-1)!.args).toMatch(/^node:20-bookworm-slim\b/);
    expect(final.some((i) => i.keyword === 'COPY' && /--from=deps\s+\/app\/node_modules/.test(i.args))).toBe(
      true,
    );
  });

  it('copies only paths that exist in the repository', () => {
    const sources = contextSources();
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(path.join(root, source)), source).toBe(true);
  });

  it('copies what sgops runs: the bin, the sources, the workflows, the adapters and the migrations', () => {
    const sources = contextSources().map((s) => s.replace(/\/$/, ''));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'bin',
      'src',
      'workflows',
      'adapters',
      'drizzle',
    ]) {
      expect(sources).toContain(needed);
    }
    expect(sources).not.toContain('test');
    expect(sources).not.toContain('.');
  });

  it('keeps tsx as a production dependency, because the entrypoint runs TypeScript through it', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies['tsx']).toBeDefined();
    expect(readFileSync(path.join(root, 'bin/sgops.js'), 'utf8')).toContain("from 'tsx/esm/api'");
  });

  it('runs as a numeric non-root user, so runAsNonRoot can verify it', () => {
    const users = only('USER');
    expect(users).toHaveLength(1);
    const [uid] = users[0]!.args.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('starts the bot by default, exposes 8080 and checks /healthz', () => {
    expect(JSON.parse(only('ENTRYPOINT')[0]!.args)).toEqual(['node', 'bin/sgops.js']);
    expect(JSON.parse(only('CMD')[0]!.args)).toEqual(['start']);
    expect(only('EXPOSE').map((i) => i.args)).toEqual(['8080']);
    const healthcheck = only('HEALTHCHECK')[0]!.args;
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];
    expect(command.slice(0, 2)).toEqual(['node', 'deploy/healthcheck.mjs']);
    expect(command).toContain('/healthz');
    expect(contextSources()).toContain('deploy/healthcheck.mjs');
  });
});

describe('the .dockerignore', () => {
  const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('leaves tests, git history, local node_modules, sandbox state and env files out of the context', () => {
    for (const entry of ['test', '.git', 'node_modules', '.sgops', '.env']) expect(ignored).toContain(entry);
  });

  it('does not exclude anything the Dockerfile copies', () => {
    for (const source of contextSources()) {
      const top = source.replace(/\/$/, '').split('/')[0]!;
      expect(ignored, source).not.toContain(top);
      expect(ignored, source).not.toContain(source.replace(/\/$/, ''));
    }
  });
});
