import { describe, expect, it } from 'vitest';
import { verbWords, verbs } from '../../../src/commands/keywords.ts';
import { parseCommand } from '../../../src/commands/parse-command.ts';
import { readRepoFile } from './deploy-files.ts';

const guide = readRepoFile('docs/user-guide.md');

/**
 * Every line of the guide's ```text blocks: each is a chat line a reader may copy, less the
 * `# refused: …` comment the doc walk reads (test/integration/docs/doc-commands.test.ts).
 */
const examples = [...guide.matchAll(/```text\n([\s\S]*?)```/g)].flatMap((m) =>
  m[1]!
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, ''))
    .filter((line) => line.trim() !== ''),
);

/** The command kind a verb's lines parse to (status has variants that are still the status verb). */
const verbOfKind = (kind: string) => (kind === 'statusApp' || kind === 'statusPolicies' ? 'status' : kind);

describe('the user guide', () => {
  it('gives examples that sgops parses, every one of them', () => {
    expect(examples.length).toBeGreaterThan(20);
    for (const line of examples) expect(parseCommand(line), line).toMatchObject({ ok: true });
  });

  it('shows every command with at least one English and one Chinese example', () => {
    const parsed = examples.map((line) => parseCommand(line));
    for (const verb of verbs) {
      const of = parsed.filter((p) => p.ok && verbOfKind(p.command.kind) === verb);
      expect(
        of.map((p) => p.locale),
        verb,
      ).toEqual(expect.arrayContaining(['en', 'zh']));
    }
  });

  it('names every command word in both languages', () => {
    for (const verb of verbs)
      for (const word of [...verbWords[verb].en, ...verbWords[verb].zh])
        expect(guide, `${verb}: ${word}`).toContain(`\`${word}\``);
  });

  it('says which commands are planned and which are available', () => {
    const row = (verb: string) => guide.split('\n').find((l) => l.startsWith(`| ${verb} `)) ?? '';
    for (const verb of verbs) expect(row(verb), verb).toMatch(/\| (available|planned)/);
  });
});
