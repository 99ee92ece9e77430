/**
 * What each `sgops` command accepts and the help it prints: the options parseArgs checks strictly
 * per command (a flag of another command is an error, not silently ignored) and the usage text
 * that `sgops <command> --help` and a mistake print.
 */
import type { ParseArgsConfig } from 'node:util';
import { auditUsage } from './audit-usage.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliCommand {
  options: Options;
  /** What a mistake prints after its one line, and `--help` prints first. */
  usage: string;
  /** What only `--help` adds (the say --json schema). */
  details?: string;
}

/** Accepted by every command, and before the command. */
export const globalOptions = {
  'state-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies Options;

const stateDirLine = '  --state-dir <dir>     the sandbox state directory (default .sgops)';

export const globalUsage = `Usage: sgops <command> [options]

Commands:
  sandbox                      start the embedded world (emulated cloud, simulated cluster, bot, console)
      [--port <n>] [--reset]       console on n, stand-ins on n+1…n+4 (default 7700, moving off taken
                                   ports); --reset erases the kept world and requests first
  say --as <person> "<line>"   say a line to the running sandbox and print the bot's answer
      [--json] [--follow] [--timeout <seconds>]
  start                        run the bot (configuration from SGOPS_CONFIG and the environment)
  audit verify|export          verify the audit chain, or export it as JSON lines
      [--request <id>] [--checkpoint FILE] [--out FILE] [--schema NAME] [--json]
  help [command]               show this text, or a command's own (also: sgops <command> --help)

Options:
  --state-dir <dir>            the sandbox's state directory (default .sgops)
  -h, --help                   show help
  -v, --version                print the version of sgops
`;

/**
 * The fields of a `say --json` line. The first five were there first and stay as they are; the
 * others come from the request view (GET /api/requests/:id/view and /api/requests/:id) when the
 * message is about a request, as the request stands when the line is printed.
 */
const sayJsonSchema = `JSON lines (--json), one object per message:
  text, kind, at                the message (kind: reply, plan, approval, progress, result, error)
  requestId, state              the request it is about and its state when the message was sent
  step                          a step line: the step that started (--follow prints one per step)
  workflow                      the request's workflow (grant, revoke, …)
  steps                         [{name, state, startedAt, endedAt, durationMs}] every step of the
                                workflow in order; state is done|current|failed|skipped|pending;
                                times from the step's audited calls, null when it made none
  pods                          [{name, node, groups, ok, reason}] verified pods once verified,
                                else the planned pods (groups [] and ok null until verified)
  groupIds                      the security groups the pods get (the pod group, or \`using\` groups)
  policyName                    the SecurityGroupPolicy written or removed, null before
  approvers                     {signed: [{id, name, at}], mayApprove: [{id, name}],
                                sets: [{who, quorum, signed, mayApprove}]}: who approved, who may
                                still approve while it waits, and each sign-off the request needs
                                (people as {id, name}, the name from the policy)
`;

export const cliCommands: Record<string, CliCommand> = {
  sandbox: {
    options: {
      port: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
    usage: `Usage: sgops sandbox [--port <n>] [--reset] [--state-dir <dir>]

Starts the embedded world: PGlite, Redis, the Tencent Cloud emulator, the Kubernetes simulator,
the bot and its console. Ctrl-C stops everything it started; the world is kept for the next start.

Options:
  --port <n>            the console listens on n and the stand-ins on n+1…n+4 (default 7700;
                        without --port, taken ports are passed over for free ones)
  --reset               erase the kept world and its requests first
${stateDirLine}
`,
  },
  say: {
    options: {
      as: { type: 'string' },
      json: { type: 'boolean', default: false },
      follow: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '30' },
      token: { type: 'string' },
    },
    usage: `Usage: sgops say --as <person> "<line>" [--json] [--follow] [--timeout <seconds>]

Says a line to the running sandbox's console and prints the bot's answer. A line that opens a
request waits for its plan too.

Options:
  --as <person>         who is speaking (alice, bob, carol, … in the sandbox)
  --follow              keep printing until the request comes to rest: every message about it and
                        a line for each step as it starts, whichever workflow it is
  --json                one JSON object per line instead of text (below)
  --timeout <seconds>   how long to wait for an answer without --follow (default 30)
  --token <token>       a console token, outside the sandbox (or SGOPS_CONSOLE_TOKEN)
${stateDirLine}
  SGOPS_CONSOLE_URL     the console to talk to, instead of the sandbox's in --state-dir
`,
    details: `\n${sayJsonSchema}`,
  },
  start: {
    options: {},
    usage: `Usage: sgops start

Runs the bot: configuration from the YAML file SGOPS_CONFIG names and the environment
(docs/operator-guide.md). SIGTERM or Ctrl-C lets running steps finish, then stops.
`,
  },
  audit: {
    options: {
      request: { type: 'string' },
      checkpoint: { type: 'string' },
      out: { type: 'string' },
      schema: { type: 'string' },
      json: { type: 'boolean', default: false },
      token: { type: 'string' },
    },
    usage: auditUsage,
  },
};
