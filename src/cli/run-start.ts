/** `sgops start`: run the bot against the configured Redis, Postgres, Tencent Cloud and Kubernetes. */
import { loadConfig } from '../config.ts';
import { createApp } from '../main.ts';

export async function runStart(env: NodeJS.ProcessEnv): Promise<number> {
  // Files made from here on are the user's alone: PGlite's written through fopen (pg_internal.init,
  // rewritten after a catalog change), the audit checkpoint's directory.
  process.umask(0o077);
  const app = await createApp(loadConfig(env));
  await app.start();
  app.logger.info({ http: app.httpUrl }, 'sgops started');
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      app.logger.info({ signal }, 'stopping: letting running steps finish');
      app
        .stop()
        .catch((err: unknown) => app.logger.error({ err }, 'error while stopping'))
        .finally(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
