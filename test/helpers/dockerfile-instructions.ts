/**
 * The Dockerfile, parsed just enough for the deploy tests and the footprint bench: instructions
 * with line continuations joined and comments dropped, each tagged with its stage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dockerfilePath = fileURLToPath(new URL('../../Dockerfile', import.meta.url));

export interface Instruction {
  keyword: string;
  args: string;
  /** 0 for the first FROM's stage, and so on. */
  stage: number;
}

export function dockerfileInstructions(text: string = readFileSync(dockerfilePath, 'utf8')): Instruction[] {
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

/** The variables a stage's ENV instructions set (`ENV KEY=value` or `KEY="a b"`; the legacy `ENV KEY value` too). */
export function stageEnv(instructions: Instruction[], stage: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions.filter((i) => i.keyword === 'ENV' && i.stage === stage)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      const [key, ...rest] = args.split(/\s+/);
      env[key!] = rest.join(' ');
      continue;
    }
    for (const [, key, quoted, plain] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) {
      env[key!] = quoted ?? plain ?? '';
    }
  }
  return env;
}

/** What the image's runtime (last) stage passes to Node in NODE_OPTIONS, split into flags. */
export function imageNodeOptions(instructions: Instruction[] = dockerfileInstructions()): string[] {
  const last = Math.max(...instructions.map((i) => i.stage));
  return (stageEnv(instructions, last)['NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The rest of the runtime stage's environment (NODE_OPTIONS aside, which the callers pass as
 * flags): what a process started like the image's needs besides them, e.g. glibc's malloc tunables.
 */
export function imageEnv(instructions: Instruction[] = dockerfileInstructions()): Record<string, string> {
  const last = Math.max(...instructions.map((i) => i.stage));
  const { NODE_OPTIONS: _flags, ...rest } = stageEnv(instructions, last);
  return rest;
}
