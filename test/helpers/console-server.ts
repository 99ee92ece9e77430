/**
 * The console as src/main.ts serves it, over an app's own console, engine, store and policy, on a
 * free loopback port: in the sandbox (the caller names the person) unless told otherwise.
 */
import type { ConsoleRoutesOptions } from '../../src/console/console-routes.ts';
import type { App } from '../../src/main.ts';
import { startHttpServer } from '../../src/http/start-http-server.ts';
import type { HttpServer } from '../../src/http/start-http-server.ts';

/** `people` are those the console lets one switch between; `options` replace the defaults (`store: undefined` serves none). */
export function startConsoleServer(
  app: App,
  people: ConsoleRoutesOptions['people'],
  options: Partial<ConsoleRoutesOptions> = {},
): Promise<HttpServer> {
  return startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: app.logger,
    readiness: {},
    console: {
      console: app.console,
      engine: app.engine,
      store: app.store,
      policy: app.policy,
      workflows: app.workflows,
      mode: 'sandbox',
      tokens: [],
      people,
      ...options,
    },
  });
}
