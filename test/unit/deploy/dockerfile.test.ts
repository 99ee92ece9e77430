import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  dockerfileInstructions,
  imageEnv,
  imageNodeOptions,
  stageEnv,
} from '../../helpers/dockerfile-instructions.ts';
import type { Instruction } from '../../helpers/dockerfile-instructions.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const readJson = <T>(file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as T;

const dockerfile = dockerfileInstructions();
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === finalStage);
const only = (keyword: string) => final.filter((i) => i.keyword === keyword);

/** Each stage's name (`FROM image AS name`), by stage number. */
const stageNames = dockerfile
  .filter((i) => i.keyword === 'FROM')
  .map((i) => /\bAS\s+(\S+)$/i.exec(i.args)?.[1] ?? '');

/** A COPY's flags, sources and destination. */
function copyOf(instruction: Instruction): { from: string | null; sources: string[]; destination: string } {
  const words = instruction.args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

const copies = dockerfile.filter((i) => i.keyword === 'COPY').map((i) => ({ ...copyOf(i), stage: i.stage }));

/** COPY sources from the build context (not from another stage). */
function contextSources(stage?: number): string[] {
  return copies
    .filter((c) => c.from === null && (stage === undefined || c.stage === stage))
    .flatMap((c) => c.sources);
}

const workdirOf = (stage: number) =>
  dockerfile.filter((i) => i.stage === stage && i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
const runsIn = (stage: number, pattern: RegExp) =>
  dockerfile.some((i) => i.stage === stage && i.keyword === 'RUN' && pattern.test(i.args));

const buildConfig = readJson<{ compilerOptions: { outDir: string }; include: string[] }>(
  'tsconfig.build.json',
);
const packageJson = readJson<{ scripts: Record<string, string>; type: string }>('package.json');

/**
 * What a stage leaves behind, from what it runs: `npm ci` installs node_modules in its WORKDIR, and
 * `npm run build` (scripts/build.mjs, writing to tsconfig.build.json's outDir unless told otherwise)
 * writes the compiled tree there.
 */
function producedBy(stage: number): string[] {
  const workdir = workdirOf(stage);
  const produced: string[] = [];
  if (runsIn(stage, /\bnpm ci\b/)) produced.push(path.posix.join(workdir, 'node_modules'));
  if (runsIn(stage, /\bnpm run build\b/) && !/--out-dir/.test(packageJson.scripts['build'] ?? '')) {
    produced.push(path.posix.join(workdir, buildConfig.compilerOptions.outDir));
  }
  return produced;
}

describe('the Dockerfile', () => {
  it('installs production dependencies in one stage, builds in another, and runs on node:20-bookworm-slim', () => {
    expect(stageNames).toEqual(expect.arrayContaining(['deps', 'build']));
    const deps = stageNames.indexOf('deps');
    const build = stageNames.indexOf('build');
    expect(runsIn(deps, /\bnpm ci\b.*--omit=dev/)).toBe(true);
    // The build needs the dev dependencies (TypeScript).
    expect(runsIn(build, /\bnpm ci\b/) && !runsIn(build, /--omit=dev/)).toBe(true);
    expect(runsIn(build, /\bnpm run build\b/)).toBe(true);
    expect(packageJson.scripts['build']).toBe('node scripts/build.mjs');
    const froms = dockerfile.filter((i) => i.keyword === 'FROM');
    expect(froms.at(-1)!.args).toMatch(/^node:20-bookworm-slim\b/);
    expect(
      final.some((i) => i.keyword === 'COPY' && /--from=deps\s+\/app\/node_modules\s/.test(i.args)),
    ).toBe(true);
    expect(final.some((i) => i.keyword === 'COPY' && /--from=build\s+\/app\/dist\s/.test(i.args))).toBe(true);
  });

  it('copies from the build context only paths that exist in the repository, and no build output', () => {
    const sources = contextSources();
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(path.join(root, source)), source).toBe(true);
      // A local dist/ exists only after a local build: the image makes its own.
      expect(source.replace(/\/$/, '').split('/')[0], source).not.toBe(buildConfig.compilerOptions.outDir);
    }
  });

  it('copies from other stages only what those earlier stages produce', () => {
    const fromStages = copies.filter((c) => c.from !== null);
    expect(fromStages.length).toBeGreaterThanOrEqual(2);
    for (const copy of fromStages) {
      const source = stageNames.indexOf(copy.from!);
      expect(source, `stage ${copy.from}`).toBeGreaterThanOrEqual(0);
      expect(source, `stage ${copy.from}`).toBeLessThan(copy.stage);
      for (const file of copy.sources) {
        expect(producedBy(source), `${copy.from}:${file}`).toContain(file.replace(/\/$/, ''));
      }
    }
  });

  it('gives the build stage everything the build compiles and copies: sources, migrations, configs, script', () => {
    const sources = contextSources(stageNames.indexOf('build')).map((s) => s.replace(/\/$/, ''));
    for (const needed of [
      ...buildConfig.include,
      'drizzle',
      'scripts',
      'tsconfig.json',
      'tsconfig.build.json',
      'package.json',
      'package-lock.json',
    ]) {
      expect(sources, needed).toContain(needed);
    }
    expect(sources).not.toContain('test');
    expect(sources).not.toContain('.');
  });

  it('runs the compiled JavaScript: the entrypoint is the build output of src/cli.ts, with no TypeScript in the image', () => {
    const [node, entry, ...rest] = JSON.parse(only('ENTRYPOINT')[0]!.args) as string[];
    expect(node).toBe('node');
    expect(rest).toEqual([]);
    const outDir = buildConfig.compilerOptions.outDir;
    expect(entry).toBe(`${outDir}/src/cli.js`);
    const compiledFrom = entry!.slice(outDir.length + 1).replace(/\.js$/, '.ts');
    expect(existsSync(path.join(root, compiledFrom))).toBe(true);
    expect(buildConfig.include).toContain(compiledFrom.split('/')[0]);
    // The compiled files are ES modules because package.json says so: it must be in the image.
    expect(packageJson.type).toBe('module');
    expect(contextSources(finalStage)).toContain('package.json');
    for (const source of contextSources(finalStage))
      expect(source).not.toMatch(/^(src|workflows|adapters|bin)\b/);
  });

  it('caps the V8 heap well inside the Deployment memory limit', () => {
    const flags = imageNodeOptions();
    const megabytes = (name: string) => Number(flags.find((f) => f.startsWith(`--${name}=`))?.split('=')[1]);
    const oldSpace = megabytes('max-old-space-size');
    const semiSpace = megabytes('max-semi-space-size');
    expect(oldSpace).toBeGreaterThan(0);
    expect(semiSpace).toBeGreaterThan(0);
    const deployment = parse(readFileSync(path.join(root, 'deploy/base/deployment.yaml'), 'utf8')) as {
      spec: {
        template: { spec: { containers: { name: string; resources: { limits: { memory: string } } }[] } };
      };
    };
    const limit = deployment.spec.template.spec.containers.find((c) => c.name === 'sgops')!.resources.limits
      .memory;
    const limitMb = Number(/^(\d+)Mi$/.exec(limit)?.[1]);
    // The heap (old space and 3 semi-spaces) plus ~150 MB of code, stacks and native memory must fit.
    expect(oldSpace + 3 * semiSpace + 150).toBeLessThanOrEqual(limitMb);
    expect(stageEnv(dockerfile, finalStage)['NODE_ENV']).toBe('production');
  });

  it("tunes glibc's malloc on a glibc base image, where the variables take effect", () => {
    const env = imageEnv();
    expect(Number(env['MALLOC_ARENA_MAX'])).toBeGreaterThan(0);
    expect(Number(env['MALLOC_TRIM_THRESHOLD_'])).toBeGreaterThan(0);
    // musl (alpine) ignores MALLOC_*: the footprint figures assume glibc (Debian's images).
    expect(only('FROM')[0]!.args).not.toMatch(/alpine/);
    // The bench and tests pass NODE_OPTIONS as flags; imageEnv is the rest of the runtime's environment.
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    expect(env['NODE_ENV']).toBe('production');
  });

  it('runs as a numeric non-root user, so runAsNonRoot can verify it', () => {
    const users = only('USER');
    expect(users).toHaveLength(1);
    const [uid] = users[0]!.args.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('starts the bot by default, exposes 8080 and checks /healthz', () => {
    expect(JSON.parse(only('CMD')[0]!.args)).toEqual(['start']);
    expect(only('EXPOSE').map((i) => i.args)).toEqual(['8080']);
    const healthcheck = only('HEALTHCHECK')[0]!.args;
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];
    expect(command.slice(0, 2)).toEqual(['node', 'deploy/healthcheck.mjs']);
    expect(command).toContain('/healthz');
    expect(contextSources(finalStage)).toContain('deploy/healthcheck.mjs');
  });
});

describe('the .dockerignore', () => {
  const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('leaves tests, git history, local node_modules and builds, sandbox state and env files out of the context', () => {
    for (const entry of ['test', '.git', 'node_modules', 'dist', '.sgops', '.env'])
      expect(ignored).toContain(entry);
  });

  it('does not exclude anything the Dockerfile copies', () => {
    for (const source of contextSources()) {
      const top = source.replace(/\/$/, '').split('/')[0]!;
      expect(ignored, source).not.toContain(top);
      expect(ignored, source).not.toContain(source.replace(/\/$/, ''));
    }
  });
});
