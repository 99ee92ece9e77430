/**
 * Finds text of the other language in a message meant for one reader. What is quoted is not the
 * bot's prose and is left out: code (`…`, ``` blocks, `$ ` command lines) and 「…」, where sgops
 * quotes another system's or person's words as they were said. Ids and names (anything with -, _,
 * ., /, :, = or @ in it) are data in either language.
 */
import type { Locale } from '../../src/domain/locale.ts';

const han = /\p{Script=Han}/gu;

/** English words that no 中文 sentence of sgops carries outside code, ids and quotes. */
const englishWords = new Set(
  (
    'the a an to of in on at and or is are was were be been from with for not it its by has have ' +
    'this that these already nothing deleted removed kept gone because still uses used will pod pods ' +
    'group groups rule rules policy request approved approve waiting done failed step reply try none ' +
    'fix then yourself created recreated updated available stopped progressing missing exists ' +
    'needs attention warning changes make matched workloads'
  ).split(' '),
);

function bare(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/「[^」]*」/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*\$ /.test(line))
    .join('\n')
    .replace(/\S*[-_./:=@]\S*/g, ' ');
}

/** The fragments of `text` in the language that `locale`'s reader does not read; [] when none. */
export function otherLanguageIn(text: string, locale: Locale): string[] {
  const plain = bare(text);
  if (locale === 'en')
    return [...plain.matchAll(han)].map((m) => plain.slice(Math.max(0, m.index - 10), m.index + 10));
  return (plain.match(/[A-Za-z]+/g) ?? []).filter((w) => englishWords.has(w));
}
