import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAtGraphemes } from '../../../../adapters/slack/cut-at-graphemes.ts';
import { maxEchoUnits, slashCommandAck } from '../../../../adapters/slack/slash-command-ack.ts';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The line as the ack shows it: between the backticks, with mrkdwn's escapes undone. */
function echoIn(ackText: string): string {
  const match = /`([\s\S]*)`$/.exec(ackText);
  if (!match) throw new Error(`no echo in ${JSON.stringify(ackText)}`);
  return match[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const graphemes = (text: string) => [...new Intl.Segmenter().segment(text)].map((s) => s.segment);

/** Lines of every kind of character: astral code points, emoji sequences, combining marks, markup. */
const lines = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', minLength: 100, maxLength: 300 }),
  fc
    .tuple(fc.nat({ max: 210 }), fc.constantFrom('😀', '👨‍👩‍👧', '🇨🇳', 'é', '中', '<', '&'), fc.nat({ max: 50 }))
    .map(([before, char, after]) => `${'x'.repeat(before)}${char.repeat(after + 1)}`),
);

describe('the slash command ack', () => {
  it('echoes a short line whole', () => {
    expect(slashCommandAck('grant pod SG to app <my-app>', 'en')).toEqual({
      response_type: 'ephemeral',
      text: ':hourglass_flowing_sand: Received: `grant pod SG to app &lt;my-app&gt;`',
    });
  });

  it('cuts a long line before an emoji it cannot hold whole, never through it', () => {
    const line = `${'x'.repeat(198)}😀 and more`;
    expect(echoIn(slashCommandAck(line, 'en').text)).toBe(`${'x'.repeat(198)}…`);
  });

  it('never holds a lone surrogate nor echoes more than the limit, cut between graphemes', () => {
    fc.assert(
      fc.property(lines, fc.constantFrom('en' as const, 'zh' as const), (line, locale) => {
        const ack = slashCommandAck(line, locale);
        expect(ack.text).not.toMatch(loneSurrogate);
        const echo = echoIn(ack.text);
        expect(echo.length).toBeLessThanOrEqual(maxEchoUnits);
        if (line.length <= maxEchoUnits) {
          expect(echo).toBe(line);
        } else {
          expect(echo.endsWith('…')).toBe(true);
          const kept = graphemes(echo.slice(0, -1));
          expect(graphemes(line).slice(0, kept.length)).toEqual(kept);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('cutAtGraphemes', () => {
  it('cuts a single grapheme longer than the limit between code points', () => {
    const zalgo = `a${'\u0301'.repeat(20)}😀`;
    expect(cutAtGraphemes(zalgo, 5)).toBe(`a${'\u0301'.repeat(4)}`);
    expect(cutAtGraphemes('😀😀', 1)).toBe('');
  });
});
