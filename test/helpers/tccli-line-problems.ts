/**
 * What tccli would refuse in a command line, read against the API models tccli itself ships
 * (trimmed copies in test/fixtures/tencentcloud/tccli-api/, see the README there). It follows
 * tccli's own parsing (tccli/command.py, argument.py, cli_unfold_argument.py, loaders.py):
 *  - without --cli-unfold-argument each request member is one `--Name value`; a member whose type
 *    is not a scalar (a list, a structure) is parsed with json.loads;
 *  - with --cli-unfold-argument only dotted paths to scalar leaves exist, list indices 0–9 (the
 *    default arrayCount), and a list of scalars takes several words;
 *  - members the model marks required are required by argparse.
 * It also asks what sgops asks of every line: a `--region`.
 */
import { readFileSync } from 'node:fs';
import { shellCommands } from './shell-words.ts';

interface Member {
  name: string;
  /** A scalar type (string, int64, …) or the name of a structure in `objects`. */
  member: string;
  type: string;
  required: boolean;
}
interface ApiModel {
  service: string;
  actions: Record<string, unknown>;
  objects: Record<string, { members: Member[] }>;
}

const fixtures = new URL('../fixtures/tencentcloud/tccli-api/', import.meta.url);
const models: Record<string, ApiModel> = Object.fromEntries(
  ['vpc-v20170312.json', 'tke-v20180525.json'].map((file) => {
    const model = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as ApiModel;
    return [model.service, model];
  }),
);

const scalars = new Set([
  'int64',
  'uint64',
  'string',
  'float',
  'bool',
  'date',
  'datetime',
  'datetime_iso',
  'binary',
]);
/** tccli/options_define.py ACTION_GLOBAL_OPT: the options any action takes besides its parameters. */
const globalFlags = new Set(['use-cvm-role', 'generate-cli-skeleton', 'cli-unfold-argument']);
const globalOptions = new Set([
  'secretId', 'secretKey', 'token', 'role-arn', 'role-session-name', 'region', 'endpoint', 'version',
  'language', 'filter', 'profile', 'timeout', 'output', 'https-proxy', 'cli-input-json', 'waiter', 'request-client',
]); // prettier-ignore
const defaultArrayCount = 10;

/** Every reason tccli (or sgops' rule of a `--region` on each line) would refuse `line`; none if it runs. */
export function tccliLineProblems(line: string, env: Record<string, string> = {}): string[] {
  let commands: string[][];
  try {
    commands = shellCommands(line, env);
  } catch (error) {
    return [(error as Error).message];
  }
  return commands.flatMap((words) => commandProblems(words));
}

function commandProblems(words: string[]): string[] {
  const [program, service = '', action = '', ...rest] = words;
  if (program !== 'tccli') return [`not a tccli command: ${words.join(' ')}`];
  const model = models[service];
  if (!model) return [`unknown service ${service}`];
  if (!(action in model.actions)) return [`unknown action ${service} ${action}`];
  const request = model.objects[`${action}Request`]!.members;
  const problems: string[] = [];
  const options = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const word of rest) {
    if (word.startsWith('--')) {
      const name = word.slice(2);
      if (options.has(name)) problems.push(`${action}: --${name} given twice`);
      current = [];
      options.set(name, current);
    } else if (current) current.push(word);
    else problems.push(`${action}: a word without an option: ${word}`);
  }
  const unfold = options.has('cli-unfold-argument');
  const given = new Set<string>();
  for (const [name, values] of options) {
    if (globalFlags.has(name)) {
      if (values.length > 0) problems.push(`${action}: --${name} takes no value`);
      continue;
    }
    if (globalOptions.has(name)) {
      if (values.length !== 1) problems.push(`${action}: --${name} takes one value`);
      continue;
    }
    const top = name.split('.')[0]!;
    given.add(top);
    problems.push(
      ...(unfold
        ? unfoldedProblems(model, request, name, values)
        : foldedProblems(model, request, name, values)
      ).map((p) => `${action}: ${p}`),
    );
  }
  for (const m of request)
    if (m.required && !given.has(m.name)) problems.push(`${action}: missing required --${m.name}`);
  if (!options.get('region')?.[0]) problems.push(`${action}: no --region`);
  return problems;
}

/** `--Name value`: the member must exist; a non-scalar value is JSON of the member's documented shape. */
function foldedProblems(model: ApiModel, request: Member[], name: string, values: string[]): string[] {
  const member = request.find((m) => m.name === name);
  if (!member) return [`--${name} is no parameter of the action`];
  if (values.length !== 1) return [`--${name} takes one value, got ${values.length}`];
  const value = values[0]!;
  if (member.type !== 'list' && scalars.has(member.member)) return scalarProblems(member, value, `--${name}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [`--${name} is not JSON: ${value}`];
  }
  return shapeProblems(model, member, parsed, name);
}

function scalarProblems(member: Member, value: string, at: string): string[] {
  if (member.member.endsWith('int64') && !/^-?\d+$/.test(value)) return [`${at} is not an integer: ${value}`];
  return [];
}

/** A parsed JSON value against a member: lists are arrays, structures objects of documented members. */
function shapeProblems(model: ApiModel, member: Member, value: unknown, at: string): string[] {
  if (member.type === 'list') {
    if (!Array.isArray(value)) return [`${at} is not a JSON array`];
    return value.flatMap((item, i) => itemProblems(model, member, item, `${at}[${i}]`));
  }
  return itemProblems(model, member, value, at);
}

function itemProblems(model: ApiModel, member: Member, value: unknown, at: string): string[] {
  const type = member.member;
  if (type === 'string') return typeof value === 'string' ? [] : [`${at} is not a JSON string`];
  if (type.endsWith('int64')) return Number.isInteger(value) ? [] : [`${at} is not a JSON integer`];
  if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at} is not a JSON boolean`];
  if (scalars.has(type)) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${at} is not a JSON object`];
  const members = model.objects[type]!.members;
  const problems: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const m = members.find((x) => x.name === key);
    if (!m) problems.push(`${at}.${key} is no member of ${type}`);
    else problems.push(...shapeProblems(model, m, inner, `${at}.${key}`));
  }
  for (const m of members)
    if (m.required && !(m.name in value)) problems.push(`${at} lacks the required ${type}.${m.name}`);
  return problems;
}

/** `--A.0.B value` under --cli-unfold-argument: a path to a scalar leaf, indices below arrayCount. */
function unfoldedProblems(model: ApiModel, request: Member[], name: string, values: string[]): string[] {
  const parts = name.split('.');
  let members = request;
  for (let i = 0; i < parts.length; i++) {
    const member = members.find((m) => m.name === parts[i]);
    if (!member) return [`--${name}: ${parts[i]} is no member here`];
    let next = i + 1;
    if (member.type === 'list' && !scalars.has(member.member)) {
      const index = parts[next];
      if (index === undefined || !/^\d+$/.test(index)) return [`--${name}: ${parts[i]} needs an index`];
      if (Number(index) >= defaultArrayCount) return [`--${name}: index ${index} past tccli's arrayCount`];
      next++;
    }
    if (scalars.has(member.member)) {
      if (next !== parts.length) return [`--${name}: ${parts[i]} is a scalar`];
      if (member.type === 'list') return [];
      if (values.length !== 1) return [`--${name} takes one value, got ${values.length}`];
      return scalarProblems(member, values[0]!, `--${name}`);
    }
    if (next >= parts.length) return [`--${name} stops at the structure ${member.member}`];
    members = model.objects[member.member]!.members;
    i = next - 1;
  }
  return [`--${name} is no parameter of the action`];
}

/** The tccli lines a rendered plan prints, one per change (`   $ tccli …`). */
export const printedTccliLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('$ tccli '))
    .map((line) => line.slice(2));
