/**
 * The `sgops` command. `start` runs the bot's workers against the configured Redis, Postgres,
 * Tencent Cloud and Kubernetes; more subcommands (sandbox, say, audit) join as they land.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { isAppError } from './errors.ts';
import { createApp } from './main.ts';

const usage = `Usage: sgops <command>

Commands:
  start     run the bot (configuration from SGOPS_CONFIG and the environment; see docs/operator-guide.md)
  help      show this text
`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const command = positionals[0] ?? 'help';
  switch (command) {
    case 'start': {
      const app = await createApp(loadConfig(process.env));
      await app.start();
      app.logger.info('sgops started');
      const stop = async (signal: string) => {
        app.logger.info({ signal }, 'stopping: letting running steps finish');
        await app.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return new Promise<number>(() => {});
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`sgops: unknown command "${command}".\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
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
