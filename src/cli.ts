/**
 * The `sgops` command: parse arguments, run a subcommand, and turn errors into one clear line
 * (with the hint) instead of a stack trace.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, isAppError } from './errors.ts';
import { cliCommands, globalOptions, globalUsage } from './cli/cli-commands.ts';
import { packageVersion } from './cli/package-version.ts';

/** A mistake in the arguments: one line saying what, then the usage of the command it was for. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/**
 * Which command the arguments name: the first positional, once the global options (some of which
 * take a value, like `--state-dir X`) are set aside. Lenient: the strict parse comes after.
 */
function commandOf(argv: string[]): string | undefined {
  const { positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: globalOptions,
  });
  return positionals[0];
}

/** Node's ERR_PARSE_ARGS_* message in one plain line, e.g. "unknown option --foo". */
function argumentMistake(error: TypeError & { code: unknown }): string {
  const named = /'(-[^']*?)(?: <value>)?'/.exec(error.message)?.[1];
  const option = named?.split(', ').at(-1) ?? named;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message)
        ? `${option} takes no value`
        : `${option} needs a value`;
    default:
      return error.message.split('\n')[0]!;
  }
}

async function main(argv: string[]): Promise<number> {
  const name = commandOf(argv);
  const spec = name === undefined || name === 'help' ? undefined : cliCommands[name];
  if (name !== undefined && name !== 'help' && !spec) {
    throw new UsageError(`sgops: unknown command "${name}".`, globalUsage);
  }
  const usage = spec?.usage ?? globalUsage;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...globalOptions, ...spec?.options },
    });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(
        `sgops${name && name !== 'help' ? ` ${name}` : ''}: ${argumentMistake(error)}.`,
        usage,
      );
    }
    throw error;
  }
  // Every command's options, each undefined where this command has none (a strict parse refused them).
  const values = parsed.values as Partial<Record<string, string | boolean>> & {
    'state-dir'?: string;
    as?: string;
    json?: boolean;
    follow?: boolean;
    timeout?: string;
    token?: string;
    request?: string;
    checkpoint?: string;
    out?: string;
    schema?: string;
    port?: string;
    reset?: boolean;
  };
  const { positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${await packageVersion()}\n`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(`${usage}${spec?.details ?? ''}`);
    return 0;
  }
  const command = name ?? 'help';
  const stateDir = path.resolve(values['state-dir'] ?? '.sgops');
  switch (command) {
    // Each command loads only its own modules: `say` stays quick, and `start` leaves the sandbox's
    // stand-ins (and the chat platforms they pull in) out of a production process's memory.
    case 'sandbox': {
      const { runSandbox } = await import('./cli/run-sandbox.ts');
      return runSandbox({
        stateDir,
        ...(values.port === undefined ? {} : { port: parsePort(values.port) }),
        reset: values.reset ?? false,
        env: process.env,
        out: process.stdout,
      });
    }
    case 'say': {
      const line = positionals.slice(1).join(' ').trim();
      if (!line)
        throw new UsageError('sgops say: give the line to say, e.g. sgops say --as alice "help".', usage);
      const { runSay } = await import('./cli/run-say.ts');
      return runSay({
        stateDir,
        ...(values.as ? { as: values.as } : {}),
        line,
        json: values.json ?? false,
        follow: values.follow ?? false,
        timeoutMs: seconds(values.timeout ?? '30', usage) * 1000,
        ...((values.token ?? process.env.SGOPS_CONSOLE_TOKEN)
          ? { token: values.token ?? process.env.SGOPS_CONSOLE_TOKEN }
          : {}),
        ...(process.env.SGOPS_CONSOLE_URL ? { consoleUrl: process.env.SGOPS_CONSOLE_URL } : {}),
        out: process.stdout,
      });
    }
    case 'start': {
      const { runStart } = await import('./cli/run-start.ts');
      return runStart(process.env);
    }
    case 'audit': {
      const { runAudit } = await import('./cli/run-audit.ts');
      return runAudit({
        subcommand: positionals[1],
        ...(values.request ? { requestId: values.request } : {}),
        ...(values.out ? { outFile: values.out } : {}),
        ...(values.checkpoint ? { checkpointFile: values.checkpoint } : {}),
        ...(values.schema ? { schema: values.schema } : {}),
        json: values.json ?? false,
        stateDir,
        ...((values.token ?? process.env.SGOPS_CONSOLE_TOKEN)
          ? { token: values.token ?? process.env.SGOPS_CONSOLE_TOKEN }
          : {}),
        env: process.env,
        out: process.stdout,
        err: process.stderr,
      });
    }
    default: {
      // `sgops help` or `sgops help <command>`.
      const topic = positionals[1];
      const about = topic === undefined ? undefined : cliCommands[topic];
      if (topic !== undefined && !about)
        throw new UsageError(`sgops: unknown command "${topic}".`, globalUsage);
      process.stdout.write(about ? `${about.usage}${about.details ?? ''}` : globalUsage);
      return 0;
    }
  }
}

/** `--timeout`'s seconds; anything but a positive number is a mistake (NaN used to wait forever). */
function seconds(text: string, usage: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new UsageError(`sgops say: --timeout ${text} is not a number of seconds.`, usage);
  return value;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65531) {
    throw new AppError('COMMAND_INVALID', `--port ${text} is not a port the sandbox can use.`, {
      hint: 'Give a number from 1 to 65531: the console listens on it and the stand-ins on the four after it.',
    });
  }
  return port;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${error.usage}`);
      return process.exit(2);
    }
    if (isAppError(error)) {
      process.stderr.write(`sgops: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}\n`);
    } else {
      process.stderr.write(
        `sgops: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  },
);
