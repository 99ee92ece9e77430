/**
 * The `sgops` command: parse arguments, run a subcommand, and turn errors into one clear line
 * (with the hint) instead of a stack trace.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, isAppError } from './errors.ts';

const usage = `Usage: sgops <command> [options]

Commands:
  sandbox                      start the embedded world (emulated cloud, simulated cluster, bot, console)
      [--port <n>] [--reset]       console on n, stand-ins on n+1…n+4 (default 7700, moving off taken
                                   ports); --reset erases the kept world and requests first
  say --as <person> "<line>"   say a line to the running sandbox and print the bot's answer
      [--json] [--follow] [--timeout <seconds>]
  start                        run the bot (configuration from SGOPS_CONFIG and the environment)
  audit verify|export          verify the audit chain, or export it as JSON lines (sgops audit help)
      [--request <id>] [--checkpoint FILE] [--out FILE] [--schema NAME] [--json]
  help                         show this text

Options:
  --state-dir <dir>            the sandbox's state directory (default .sgops)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'state-dir': { type: 'string', default: '.sgops' },
      as: { type: 'string' },
      json: { type: 'boolean', default: false },
      follow: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '30' },
      token: { type: 'string' },
      request: { type: 'string' },
      checkpoint: { type: 'string' },
      out: { type: 'string' },
      schema: { type: 'string' },
      port: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = values.help ? 'help' : (positionals[0] ?? 'help');
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
      if (!line) {
        process.stderr.write('sgops say: give the line to say, e.g. sgops say --as alice "help"\n');
        return 2;
      }
      const { runSay } = await import('./cli/run-say.ts');
      return runSay({
        stateDir,
        ...(values.as ? { as: values.as } : {}),
        line,
        json: values.json ?? false,
        follow: values.follow ?? false,
        timeoutMs: Number(values.timeout) * 1000,
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
    case 'help':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`sgops: unknown command "${command}".\n${usage}`);
      return 2;
  }
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
    if (isAppError(error)) {
      process.stderr.write(`sgops: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}\n`);
    } else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`sgops: ${error.message}\n${usage}`);
      return process.exit(2);
    } else {
      process.stderr.write(
        `sgops: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  },
);
