/**
 * A command line split into words as a POSIX shell would (quotes, backslashes, `$NAME` expansion,
 * `&&` between commands), enough to read the lines the plans print as a person's shell would.
 * The project has no shell-parsing dependency, and one tokeniser for tests does not warrant one.
 * Anything it does not understand (`$(`, backquotes, `|`, `;`, redirections, globs) throws, so a
 * line that relies on more shell than this never passes as if it were plain.
 */
export function shellCommands(line: string, env: Record<string, string>): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  const end = () => {
    if (word !== null) commands.at(-1)!.push(word);
    word = null;
  };
  const variable = (at: number): [string, number] => {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(at + 1))?.[0];
    if (!name) throw new Error(`unsupported $ at ${at} in: ${line}`);
    const value = env[name];
    if (value === undefined) throw new Error(`unset variable $${name} in: ${line}`);
    return [value, at + name.length];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      end();
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      word ??= '';
      for (i++; line[i] !== '"'; i++) {
        if (i >= line.length) throw new Error(`unterminated " in: ${line}`);
        const d = line[i]!;
        if (d === '\\' && '$`"\\\n'.includes(line[i + 1] ?? '')) word += line[++i];
        else if (d === '$') {
          const [value, last] = variable(i);
          word += value;
          i = last;
        } else if (d === '`') throw new Error(`unsupported \` in: ${line}`);
        else word += d;
      }
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (c === '$') {
      // Unquoted expansion would also be split on spaces; the values here never hold any.
      const [value, last] = variable(i);
      word = (word ?? '') + value;
      i = last;
    } else if (c === '&' && line[i + 1] === '&' && word === null) {
      commands.push([]);
      i++;
    } else if ('|;<>()`&*?[#~'.includes(c)) {
      throw new Error(`unsupported shell syntax ${c} at ${i} in: ${line}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  end();
  if (commands.some((c) => c.length === 0)) throw new Error(`empty command in: ${line}`);
  return commands;
}
