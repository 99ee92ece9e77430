import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../../adapters/slack/escape-mrkdwn.ts';
import { splitMrkdwn, truncateMrkdwn } from '../../../../adapters/slack/split-mrkdwn.ts';

const squash = (s: string) => s.replace(/```/g, '').replace(/\s+/g, '');

describe('splitMrkdwn', () => {
  it('keeps a short text whole', () => {
    expect(splitMrkdwn('hello\nworld')).toEqual(['hello\nworld']);
  });

  it('cuts on line breaks and never exceeds the limit', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n');
    const pieces = splitMrkdwn(text, 1000);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(1000);
      expect(p.startsWith('line ')).toBe(true);
    }
    expect(pieces.join('\n')).toBe(text);
  });

  it('closes a code fence at a cut and reopens it in the next piece', () => {
    const text = `Commands:\n\`\`\`\n${Array.from({ length: 80 }, (_, i) => `kubectl get pod p-${i}`).join('\n')}\n\`\`\`\nend`;
    const pieces = splitMrkdwn(text, 500);
    for (const p of pieces) expect((p.match(/```/g) ?? []).length % 2).toBe(0);
    expect(pieces[1]?.startsWith('```\n')).toBe(true);
  });

  it('never cuts between the backticks of a fence', () => {
    // Found by the property below: with no line break or space to cut on, the cut fell inside ```.
    for (const [line, limit] of [
      ['&<>```&<>&<>&<>```&<>', 64],
      ['&<>&<>```&<>&<>``````&<>', 65],
      ['`'.repeat(99), 64],
    ] as const) {
      const text = escapeMrkdwn(line);
      const pieces = splitMrkdwn(text, limit);
      for (const p of pieces) {
        expect(p.length).toBeLessThanOrEqual(limit);
        expect(p.replace(/```/g, '')).not.toContain('`');
      }
      expect(squash(pieces.join(''))).toBe(squash(text));
    }
  });

  it('holds for any text: pieces fit, fences balance, nothing but whitespace and fences is lost', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ maxLength: 120 }), fc.constant('```'), fc.constant('\n'), fc.constant('&<>')),
          {
            maxLength: 200,
          },
        ),
        fc.integer({ min: 64, max: 3000 }),
        (parts, limit) => {
          const text = escapeMrkdwn(parts.join(''));
          const pieces = splitMrkdwn(text, limit);
          for (const p of pieces) {
            expect(p.length).toBeLessThanOrEqual(limit);
            // No entity is cut in half.
            expect(/&(a|am|l|g|amp|lt|gt)?$/.test(p.replace(/\n```$/, ''))).toBe(false);
          }
          expect(squash(pieces.join(''))).toBe(squash(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('truncateMrkdwn', () => {
  it('leaves short texts alone and ends cut ones with the note', () => {
    expect(truncateMrkdwn('short', 100)).toBe('short');
    const cut = truncateMrkdwn('word '.repeat(100), 50, '(more)');
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('(more)')).toBe(true);
  });
});
