/**
 * The chat lines a document tells people to type, in document order, read from its fenced code
 * blocks by two conventions:
 *
 * - In any block, a line `npx sgops say --as <person> "<line>" [flags] [# comment]` is `<line>`
 *   said by `<person>` (the README's shell walkthrough). Other shell lines and `#` output lines are
 *   not chat.
 * - A block right after the HTML comment `<!-- say as <person> -->` is chat typed by that person,
 *   one line each (the user guide's examples, English and 中文). A text comment starts at
 *   whitespace followed by `# `.
 *
 * A comment that begins `refused` (`# refused: nobody approves their own request`) is the
 * document predicting that sgops answers this line with an error; any other comment is prose.
 */

export interface DocCommand {
  /** Where it is written, as `file:line`, for a failure message a person can follow. */
  at: string;
  person: string;
  line: string;
  /** `sgops say` flags the document adds (`--follow`), `--json` left out. */
  flags: string[];
  refused: boolean;
}

export interface DocBlock {
  at: string;
  lang: string;
  /** The person a `<!-- say as … -->` marker names, if one precedes the block. */
  speaker?: string;
  lines: { text: string; lineNo: number }[];
}

const sayMarker = /^<!--\s*say as (\S+)\s*-->$/;
const sayCommand = /^npx sgops say --as (\S+) "([^"]+)"(.*)$/;

export function fencedBlocks(file: string, markdown: string): DocBlock[] {
  const rows = markdown.split('\n');
  const blocks: DocBlock[] = [];
  let open: DocBlock | null = null;
  let lastProse = '';
  rows.forEach((row, i) => {
    const fence = /^```(\S*)\s*$/.exec(row.trim());
    if (open) {
      if (fence && fence[1] === '') {
        blocks.push(open);
        open = null;
      } else open.lines.push({ text: row, lineNo: i + 1 });
      return;
    }
    if (fence) {
      const speaker = sayMarker.exec(lastProse)?.[1];
      open = { at: `${file}:${i + 1}`, lang: fence[1] ?? '', lines: [], ...(speaker ? { speaker } : {}) };
      return;
    }
    if (row.trim() !== '') lastProse = row.trim();
  });
  return blocks;
}

export function docCommands(file: string, markdown: string): DocCommand[] {
  return fencedBlocks(file, markdown).flatMap((block) =>
    block.lines.flatMap(({ text, lineNo }) => {
      const at = `${file}:${lineNo}`;
      const say = sayCommand.exec(text.trim());
      if (say) {
        const [words, comment] = splitComment(say[3]!);
        const flags = words.split(/\s+/).filter((f) => f !== '' && f !== '--json');
        return [{ at, person: say[1]!, line: say[2]!, flags, refused: isRefusal(comment) }];
      }
      if (!block.speaker || text.trim() === '') return [];
      const [line, comment] = splitComment(text);
      return [{ at, person: block.speaker, line: line.trim(), flags: [], refused: isRefusal(comment) }];
    }),
  );
}

function splitComment(text: string): [string, string] {
  const hash = /\s#\s/.exec(text);
  return hash ? [text.slice(0, hash.index), text.slice(hash.index).trim().slice(1).trim()] : [text, ''];
}

const isRefusal = (comment: string) => /^refused\b/i.test(comment);
