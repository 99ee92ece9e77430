/* global process */
// Module hooks (`module.register`) for bench/loaded-modules.ts: every file: URL the ES module
// loader loads is appended to the file SGOPS_LOADED_MODULES names. Hooks run on their own thread,
// so a file is the simplest way back. CommonJS files required from CommonJS are not seen here:
// the caller reads those from require.cache.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(process.env.SGOPS_LOADED_MODULES, `${url}\n`);
  return nextLoad(url, context);
}
