import type { FieldName, Locale } from './command.ts';

/** One-sentence error texts per locale; user text is echoed shortened, never interpreted. */
export interface Messages {
  empty: string;
  tooLong(max: number): string;
  unknownCommand(word: string): string;
  notYetSupported(words: string): string;
  expected(expected: string, after: string): string;
  missing(field: FieldName | 'reason', after: string): string;
  invalidName(field: FieldName, value: string): string;
  unexpected(word: string): string;
  duplicate(field: FieldName): string;
  unknownHelpTopic(word: string): string;
  internal: string;
}

export const fieldLabels: Record<Locale, Record<FieldName | 'reason', string>> = {
  en: {
    app: 'app name',
    namespace: 'namespace',
    clusterId: 'cluster id',
    requestId: 'request id',
    reason: 'reason',
  },
  zh: { app: '应用名', namespace: '命名空间', clusterId: '集群 ID', requestId: '请求编号', reason: '原因' },
};

const fieldRules: Record<Locale, Record<FieldName, string>> = {
  en: {
    app: "a Kubernetes label value of 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    namespace:
      "a DNS-1123 label of at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit",
    clusterId: 'cls- followed by 8 lower-case letters or digits, like cls-a1b2c3d4',
    requestId: 'R followed by 4 letters or digits, like R7K2P',
  },
  zh: {
    app: '由 1 到 63 个字母、数字、“-”、“_”或“.”组成且以字母或数字开头和结尾的 Kubernetes 标签值',
    namespace: '由最多 63 个小写字母、数字或“-”组成且以字母或数字开头和结尾的 DNS-1123 标签',
    clusterId: 'cls- 加 8 个小写字母或数字（例如 cls-a1b2c3d4）',
    requestId: 'R 加 4 个字母或数字（例如 R7K2P）',
  },
};

/** Echoes of user text are cut short: a reply should not repeat a 2,000-character paste. */
export function echo(text: string): string {
  const chars = [...text];
  return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : text;
}

const english: Messages = {
  empty: 'The message is empty.',
  tooLong: (max) => `The message is longer than ${max} characters.`,
  unknownCommand: (word) => `I don't know the command “${echo(word)}”.`,
  notYetSupported: (words) => `“${echo(words)}” is not supported yet.`,
  expected: (expected, after) => `Expected “${expected}” after “${echo(after)}”.`,
  missing: (field, after) => `The ${fieldLabels.en[field]} is missing after “${echo(after)}”.`,
  invalidName: (field, value) =>
    `The ${fieldLabels.en[field]} “${echo(value)}” is not valid: it must be ${fieldRules.en[field]}.`,
  unexpected: (word) => `I don't understand “${echo(word)}” here.`,
  duplicate: (field) => `The ${fieldLabels.en[field]} is given more than once.`,
  unknownHelpTopic: (word) => `There is no help topic “${echo(word)}”.`,
  internal: 'Something went wrong while reading the command.',
};

const chinese: Messages = {
  empty: '消息为空。',
  tooLong: (max) => `消息超过 ${max} 个字符。`,
  unknownCommand: (word) => `无法识别命令“${echo(word)}”。`,
  notYetSupported: (words) => `暂不支持“${echo(words)}”。`,
  expected: (expected, after) => `“${echo(after)}”之后应为“${expected}”。`,
  missing: (field, after) => `“${echo(after)}”之后缺少${fieldLabels.zh[field]}。`,
  invalidName: (field, value) =>
    `${fieldLabels.zh[field]}“${echo(value)}”无效：必须是${fieldRules.zh[field]}。`,
  unexpected: (word) => `无法理解此处的“${echo(word)}”。`,
  duplicate: (field) => `${fieldLabels.zh[field]}重复给出。`,
  unknownHelpTopic: (word) => `没有“${echo(word)}”的帮助主题。`,
  internal: '读取命令时出错。',
};

export function messagesFor(locale: Locale): Messages {
  return locale === 'zh' ? chinese : english;
}
