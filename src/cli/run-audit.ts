/**
 * `sgops audit verify|export`: against Postgres when DATABASE_URL is set (the audit key from
 * SGOPS_AUDIT_KEY), otherwise against the running sandbox in --state-dir through the bot's HTTP
 * API (PGlite is single-process). Never prints a secret: exports are redacted once more here.
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import pg from 'pg';
import { readAuditCheckpoint, type AuditCheckpoint } from '../audit/audit-checkpoint.ts';
import { auditPages } from '../audit/audit-pages.ts';
import { formatAuditReport } from '../audit/format-audit-report.ts';
import { isSecretKey, redactSecrets } from '../audit/redact-secrets.ts';
import { verifyStoredAudit, type AuditTrailReport } from '../audit/verify-audit-trail.ts';
import { loadConfig } from '../config.ts';
import { secretsOf } from '../config-secrets.ts';
import { AppError } from '../errors.ts';
import { readSandboxFile } from '../sandbox/sandbox-file.ts';
import { auditUsage } from './audit-usage.ts';
import { createStore } from '../store/create-store.ts';
import type { AuditRow } from '../store/store.ts';

export interface AuditArgs {
  subcommand: string | undefined;
  requestId?: string;
  outFile?: string;
  checkpointFile?: string;
  schema?: string;
  json: boolean;
  stateDir: string;
  token?: string;
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  fetch?: typeof fetch;
}

/** Where the rows come from: the database directly, or the sandbox's bot. */
interface AuditSource {
  verify(checkpoint: { file: string } | null): Promise<AuditTrailReport>;
  rows(): AsyncIterable<unknown[]>;
  secrets: string[];
  close(): Promise<void>;
}

export async function runAudit(args: AuditArgs): Promise<number> {
  const { subcommand } = args;
  if (subcommand === 'help') {
    await write(args.out, auditUsage);
    return 0;
  }
  if (subcommand !== 'verify' && subcommand !== 'export') {
    args.err.write(
      `sgops audit: ${subcommand ? `unknown subcommand "${subcommand}"` : 'say verify or export'}.\n${auditUsage}`,
    );
    return 2;
  }
  const source = args.env.DATABASE_URL
    ? await databaseSource(args, args.env.DATABASE_URL, subcommand)
    : await sandboxSource(args);
  try {
    if (subcommand === 'verify') {
      const report = await source.verify(args.checkpointFile ? { file: args.checkpointFile } : null);
      await write(args.out, args.json ? `${JSON.stringify(report)}\n` : formatAuditReport(report));
      return report.ok ? 0 : 1;
    }
    const target = args.outFile ? createWriteStream(args.outFile, { mode: 0o600 }) : args.out;
    let count = 0;
    for await (const page of source.rows()) {
      const text = page.map((row) => `${JSON.stringify(redactSecrets(row, source.secrets))}\n`).join('');
      await write(target, text);
      count += page.length;
    }
    if (args.outFile) {
      (target as NodeJS.WritableStream).end();
      await once(target as NodeJS.EventEmitter, 'close');
      await write(args.out, `exported ${count} audit rows to ${args.outFile}\n`);
    }
    return 0;
  } finally {
    await source.close();
  }
}

async function databaseSource(args: AuditArgs, url: string, subcommand: string): Promise<AuditSource> {
  const key = args.env.SGOPS_AUDIT_KEY;
  if (subcommand === 'verify' && !key) {
    throw new AppError('CONFIG_INVALID', 'sgops audit verify needs the audit key: set SGOPS_AUDIT_KEY.', {
      hint: 'Use the same key the bot is configured with (audit.key); it is never stored in the database.',
    });
  }
  await requireAuditTable(url, args.schema);
  // Export never appends, so it needs no key; createStore insists on one, so it gets a placeholder.
  const store = await createStore({
    kind: 'pg',
    url,
    ...(args.schema ? { schema: args.schema } : {}),
    poolSize: 2,
    auditKey: key || 'sgops-audit-export-reads-only',
  });
  const filter = args.requestId ? { requestId: args.requestId } : {};
  return {
    async verify(checkpointFile) {
      const auditKey = key!;
      let checkpoint: AuditCheckpoint | null = null;
      if (checkpointFile) {
        checkpoint = await readAuditCheckpoint(checkpointFile.file, auditKey);
        if (checkpoint === null) {
          throw new AppError('CONFIG_INVALID', `The audit checkpoint ${checkpointFile.file} does not exist.`);
        }
      }
      return verifyStoredAudit(store, auditKey, { checkpoint, ...filter });
    },
    rows: () => auditPages(store, filter),
    secrets: configuredSecrets(args),
    close: () => store.close(),
  };
}

/** Refuses a schema without an audit log, rather than letting the store create an empty one. */
async function requireAuditTable(url: string, schema: string | undefined): Promise<void> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError('CONFIG_INVALID', `--schema "${schema}" is not a plain lower-case identifier.`);
  }
  const client = new pg.Client({
    connectionString: url,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await client.connect().catch((error: unknown) => {
    throw new AppError('NETWORK', `Cannot connect to DATABASE_URL (${(error as Error).message}).`);
  });
  try {
    const { rows } = await client.query<{ present: boolean }>(
      `select to_regclass('audit_log') is not null as present`,
    );
    if (!rows[0]?.present) {
      throw new AppError(
        'CONFIG_INVALID',
        `There is no audit_log table in ${schema ?? 'the default schema'}.`,
        {
          hint: 'Pick the schema the bot uses with --schema NAME.',
        },
      );
    }
  } finally {
    await client.end();
  }
}

async function sandboxSource(args: AuditArgs): Promise<AuditSource> {
  const http = args.fetch ?? fetch;
  const info = await readSandboxFile(args.stateDir);
  const base = args.env.SGOPS_CONSOLE_URL ?? info.console.url;
  const headers: Record<string, string> = args.token ? { authorization: `Bearer ${args.token}` } : {};
  const get = async (route: string, query: Record<string, string | undefined>): Promise<Response> => {
    const params = new URLSearchParams(
      Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const response = await http(`${base}${route}?${params.toString()}`, { headers }).catch(
      (error: unknown) => {
        throw new AppError('NETWORK', `The sandbox at ${base} did not answer (${String(error)}).`, {
          hint: 'Is the sandbox still running? Start it with `npm run sandbox`.',
        });
      },
    );
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      throw new AppError(
        response.status === 401 ? 'NOT_AUTHORISED' : 'CONFIG_INVALID',
        body.error ?? `The bot refused ${route} (HTTP ${response.status}).`,
      );
    }
    return response;
  };
  return {
    async verify(checkpointFile) {
      // The bot holds the key, so it checks the checkpoint's MAC; we only pass the file along.
      const checkpoint = checkpointFile ? await readFile(checkpointFile.file, 'utf8') : undefined;
      const response = await get('/api/audit/verify', { request: args.requestId, checkpoint });
      return (await response.json()) as AuditTrailReport;
    },
    async *rows() {
      const response = await get('/api/audit/export', { request: args.requestId });
      const lines = (await response.text()).split('\n').filter((line) => line.trim() !== '');
      yield lines.map((line) => JSON.parse(line) as AuditRow);
    },
    secrets: configuredSecrets(args, secretValuesIn(info)),
    close: () => Promise.resolve(),
  };
}

/** Every secret this process knows of, to mask in anything it prints. */
function configuredSecrets(args: AuditArgs, extra: string[] = []): string[] {
  const { env } = args;
  const secrets = [
    env.SGOPS_AUDIT_KEY,
    env.TENCENTCLOUD_SECRET_KEY,
    env.TENCENTCLOUD_SESSION_TOKEN,
    env.SGOPS_CONSOLE_TOKEN,
    args.token,
    ...extra,
  ];
  try {
    const config = loadConfig(env);
    secrets.push(...secretsOf(config));
  } catch {
    // No complete configuration here (a read-only audit host): the environment is all we know.
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Every string under a secret-looking key (secretKey, signingSecret, token, encodingAESKey, …). */
function secretValuesIn(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    typeof item === 'string' ? (isSecretKey(key) ? [item] : []) : secretValuesIn(item),
  );
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
