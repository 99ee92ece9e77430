/** `sgops sandbox`: start the embedded world, print the banner, and stop everything on Ctrl-C. */
import path from 'node:path';
import { startSandbox } from '../sandbox/start-sandbox.ts';

export async function runSandbox(args: {
  stateDir: string;
  port?: number;
  reset?: boolean;
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
}): Promise<number> {
  const { out } = args;
  // Files made from here on are the user's alone: PGlite's written through fopen (pg_internal.init,
  // rewritten after a catalog change), redis-server's. startSandbox closes what was there before.
  process.umask(0o077);
  out.write(
    'Starting the sgops sandbox (PGlite, Redis, Tencent Cloud emulator, Kubernetes simulator, bot)…\n',
  );
  const sandbox = await startSandbox({
    stateDir: args.stateDir,
    ...(args.port === undefined ? {} : { port: args.port }),
    ...(args.reset ? { reset: true } : {}),
    ...(args.env.REDIS_URL ? { redisUrl: args.env.REDIS_URL } : {}),
    ...(args.env.LOG_LEVEL ? { logLevel: args.env.LOG_LEVEL } : {}),
  });
  const { info } = sandbox;
  // Paths as the user would type them: relative below the working directory, absolute elsewhere.
  const shown = (p: string) => {
    const rel = path.relative(process.cwd(), p);
    return rel === '' || rel.startsWith('..') ? p : rel;
  };
  const stateFlag = shown(args.stateDir) === '.sgops' ? '' : ` --state-dir ${shown(args.stateDir)}`;
  out.write(
    [
      '',
      'sgops sandbox is running.',
      `  console   ${info.console.url}`,
      `  kubectl   kubectl --kubeconfig ${shown(info.kubernetes.kubeconfig)} get pods -n my-namespace -o wide`,
      `  tccli     set -a; . ${shown(info.tencentcloud.tccli.envFile)}; set +a; tccli vpc DescribeSecurityGroups --endpoint ${info.tencentcloud.tccli.endpoint}`,
      '  people    alice, dave request access in my-namespace; bob, carol (中文) approve; erin owns orders-db (sg-ordersdb)',
      `  details   ${shown(path.join(args.stateDir, 'sandbox.json'))} · logs in ${shown(info.logFile)}`,
      '',
      'Next, in another terminal:',
      `  npx sgops say --as alice "grant pod SG to app my-app in my-namespace"${stateFlag}`,
      '',
      'Ctrl-C stops everything the sandbox started.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      out.write(`\n${signal}: stopping the sandbox…\n`);
      sandbox
        .stop()
        .catch((err: unknown) => out.write(`error while stopping: ${String(err)}\n`))
        .finally(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('Sandbox stopped.\n');
  return 0;
}
