import { describe, expect, it } from 'vitest';
import type { FieldName } from '../../../src/commands/command.ts';
import { fieldLabels, messagesFor } from '../../../src/commands/messages.ts';
import type { Messages } from '../../../src/commands/messages.ts';
import { placeholders } from '../../../src/commands/placeholders.ts';

const fields: FieldName[] = [
  'app',
  'serviceAccount',
  'namespace',
  'clusterId',
  'requestId',
  'securityGroupId',
  'groupName',
  'protocol',
  'ports',
  'peer',
  'duration',
  'filter',
];

/** Every message of a locale, rendered with sample arguments. */
function render(m: Messages): string[] {
  return [
    m.empty,
    m.tooLong(2000),
    m.unknownCommand('grnt'),
    m.expected('to', 'grant pod SG'),
    m.missing('reason', 'deny R7K2P'),
    m.unexpected('x'),
    m.duplicate('rule'),
    m.duplicate('groups'),
    m.notForCommand('allow', 'revoke'),
    m.portsNotAllowed('ICMP'),
    m.unknownHelpTopic('x'),
    m.internal,
    ...fields.flatMap((f) => [
      m.invalidName(f, 'x'),
      m.missing(f, 'x'),
      m.duplicate(f),
      m.duplicateValue(f, 'x'),
    ]),
  ];
}

describe('parse messages', () => {
  it('exist in both languages, one sentence each, Chinese in Chinese', () => {
    const en = render(messagesFor('en'));
    const zh = render(messagesFor('zh'));
    expect(zh).toHaveLength(en.length);
    for (const text of en) {
      expect(text).toMatch(/\.$/);
      expect(text.slice(0, -1)).not.toMatch(/[.!?]\s/);
      expect(text).not.toMatch(/\p{Script=Han}/u);
    }
    for (const text of zh) {
      expect(text).toMatch(/。$/);
      expect(text.slice(0, -1)).not.toMatch(/[。！？]/);
      expect(text).toMatch(/\p{Script=Han}/u);
    }
  });

  it('name every field and placeholder in both languages', () => {
    for (const locale of ['en', 'zh'] as const) {
      for (const label of Object.values(fieldLabels[locale])) expect(label.length).toBeGreaterThan(0);
      for (const ph of Object.values(placeholders[locale])) expect(ph).toMatch(/^<[^<>]+>$/);
    }
    expect(Object.keys(fieldLabels.zh)).toEqual(Object.keys(fieldLabels.en));
    expect(Object.keys(placeholders.zh)).toEqual(Object.keys(placeholders.en));
  });
});
