import type { FieldName, Locale } from './command.ts';

/** What a `missing` message can name: a checked field or free text. */
export type MissingField = FieldName | 'reason';

/** One-sentence error texts per locale; user text is echoed shortened, never interpreted. */
export interface Messages {
  empty: string;
  tooLong(max: number): string;
  unknownCommand(word: string): string;
  expected(expected: string, after: string): string;
  missing(field: MissingField, after: string): string;
  invalidName(field: FieldName, value: string): string;
  unexpected(word: string): string;
  duplicate(field: FieldName | 'groups' | 'reason' | 'rule'): string;
  duplicateValue(field: FieldName, value: string): string;
  notForCommand(words: string, command: string): string;
  portsNotAllowed(protocol: string): string;
  /** `explain … dns` with a protocol or port: DNS is always UDP and TCP 53. */
  noFlowForDns(word: string): string;
  unknownHelpTopic(word: string): string;
  internal: string;
}

export const fieldLabels: Record<Locale, Record<MissingField | 'groups' | 'rule', string>> = {
  en: {
    app: 'app name',
    serviceAccount: 'service account',
    namespace: 'namespace',
    clusterId: 'cluster id',
    requestId: 'request id',
    securityGroupId: 'security group id',
    groupName: 'group name',
    protocol: 'protocol',
    ports: 'port list',
    peer: 'peer',
    duration: 'duration',
    filter: 'request list',
    reason: 'reason',
    groups: 'choice of security groups',
    rule: 'allow rule',
    pod: 'pod name',
    target: 'target',
    ip: 'IP address',
    cidr: 'CIDR',
    port: 'port',
    flow: 'protocol and port',
  },
  zh: {
    app: '应用名',
    serviceAccount: '服务账号',
    namespace: '命名空间',
    clusterId: '集群 ID',
    requestId: '请求编号',
    securityGroupId: '安全组 ID',
    groupName: '组名',
    protocol: '协议',
    ports: '端口',
    peer: '对端',
    duration: '时长',
    filter: '请求列表类型',
    reason: '原因',
    groups: '安全组选择',
    rule: '允许规则',
    pod: 'Pod 名',
    target: '目标',
    ip: 'IP 地址',
    cidr: '网段',
    port: '端口',
    flow: '协议和端口',
  },
};

const dns1123 = {
  en: "a DNS-1123 label of at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit",
  zh: '由最多 63 个小写字母、数字或“-”组成且以字母或数字开头和结尾的 DNS-1123 标签',
};

const fieldRules: Record<Locale, Record<FieldName, string>> = {
  en: {
    app: "a Kubernetes label value of 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    serviceAccount: dns1123.en,
    namespace: dns1123.en,
    clusterId: 'cls- followed by 8 lower-case letters or digits, like cls-a1b2c3d4',
    requestId: 'R followed by 4 letters or digits, like R7K2P',
    securityGroupId: 'sg- followed by 8 lower-case letters or digits, like sg-a1b2c3d4',
    groupName: "1 to 60 letters, digits, '.', '_' or '-'",
    protocol: 'tcp, udp, icmp or all',
    ports: 'a port from 1 to 65535, a list of distinct ports like 80,443, or a range like 8000-8010',
    peer: 'an IPv4 CIDR without host bits, like 10.0.0.0/8, or a security group id like sg-a1b2c3d4',
    duration: 'a duration like 30m, 8h, 2d or 1h30m, from 1 second to 90 days',
    filter: 'mine, pending or all',
    pod: "a Kubernetes pod name of at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
    target:
      'a security group id like sg-a1b2c3d4, app <app>, pod <pod>, an IPv4 address like 10.0.1.5 or an IPv4 CIDR like 10.0.0.0/16',
    ip: 'an IPv4 address like 10.0.1.5, without leading zeros',
    cidr: 'an IPv4 CIDR without host bits, like 10.0.0.0/16',
    port: 'a single port from 1 to 65535 (an explanation follows one packet)',
    flow: 'tcp:<port>, udp:<port> or icmp, like tcp:3306',
  },
  zh: {
    app: '由 1 到 63 个字母、数字、“-”、“_”或“.”组成且以字母或数字开头和结尾的 Kubernetes 标签值',
    serviceAccount: dns1123.zh,
    namespace: dns1123.zh,
    clusterId: 'cls- 加 8 个小写字母或数字（例如 cls-a1b2c3d4）',
    requestId: 'R 加 4 个字母或数字（例如 R7K2P）',
    securityGroupId: 'sg- 加 8 个小写字母或数字（例如 sg-a1b2c3d4）',
    groupName: '1 到 60 个字母、数字、“.”、“_”或“-”',
    protocol: 'tcp、udp、icmp 或 all',
    ports: '1 到 65535 的端口、互不相同的端口列表（例如 80,443）或端口范围（例如 8000-8010）',
    peer: '不含主机位的 IPv4 网段（例如 10.0.0.0/8）或安全组 ID（例如 sg-a1b2c3d4）',
    duration: '30m、8h、2d、1h30m 或 8小时 这样的时长，介于 1 秒到 90 天之间',
    filter: '我的、待审批或全部',
    pod: '由最多 253 个小写字母、数字、“-”或“.”组成且以字母或数字开头和结尾的 Kubernetes Pod 名',
    target:
      '安全组 ID（例如 sg-a1b2c3d4）、应用 <应用>、Pod <Pod>、IPv4 地址（例如 10.0.1.5）或 IPv4 网段（例如 10.0.0.0/16）',
    ip: '不带前导零的 IPv4 地址（例如 10.0.1.5）',
    cidr: '不含主机位的 IPv4 网段（例如 10.0.0.0/16）',
    port: '1 到 65535 之间的单个端口（解释只跟踪一个数据包）',
    flow: 'tcp:<端口>、udp:<端口> 或 icmp（例如 tcp:3306）',
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
  expected: (expected, after) => `Expected “${expected}” after “${echo(after)}”.`,
  missing: (field, after) => `The ${fieldLabels.en[field]} is missing after “${echo(after)}”.`,
  invalidName: (field, value) =>
    `The ${fieldLabels.en[field]} “${echo(value)}” is not valid: it must be ${fieldRules.en[field]}.`,
  unexpected: (word) => `I don't understand “${echo(word)}” here.`,
  duplicate: (field) => `The ${fieldLabels.en[field]} is given more than once.`,
  duplicateValue: (field, value) => `The ${fieldLabels.en[field]} “${echo(value)}” is given more than once.`,
  notForCommand: (words, command) => `“${echo(words)}” cannot be used with ${command}.`,
  portsNotAllowed: (protocol) => `${protocol} rules take no ports, so leave out “:…” after ${protocol}.`,
  noFlowForDns: (word) =>
    `“${echo(word)}” cannot follow dns: name resolution is always UDP and TCP 53 to the cluster DNS.`,
  unknownHelpTopic: (word) => `There is no help topic “${echo(word)}”.`,
  internal: 'Something went wrong while reading the command.',
};

const chinese: Messages = {
  empty: '消息为空。',
  tooLong: (max) => `消息超过 ${max} 个字符。`,
  unknownCommand: (word) => `无法识别命令“${echo(word)}”。`,
  expected: (expected, after) => `“${echo(after)}”之后应为“${expected}”。`,
  missing: (field, after) => `“${echo(after)}”之后缺少${fieldLabels.zh[field]}。`,
  invalidName: (field, value) =>
    `${fieldLabels.zh[field]}“${echo(value)}”无效：必须是${fieldRules.zh[field]}。`,
  unexpected: (word) => `无法理解此处的“${echo(word)}”。`,
  duplicate: (field) => `${fieldLabels.zh[field]}重复给出。`,
  duplicateValue: (field, value) => `${fieldLabels.zh[field]}“${echo(value)}”重复给出。`,
  notForCommand: (words, command) => `${command}命令不能使用“${echo(words)}”。`,
  portsNotAllowed: (protocol) => `${protocol} 规则不带端口：请去掉 ${protocol} 之后的“:…”。`,
  noFlowForDns: (word) => `域名解析之后不能写“${echo(word)}”：域名解析总是到集群 DNS 的 UDP 和 TCP 53。`,
  unknownHelpTopic: (word) => `没有“${echo(word)}”的帮助主题。`,
  internal: '读取命令时出错。',
};

export function messagesFor(locale: Locale): Messages {
  return locale === 'zh' ? chinese : english;
}
