/* global process */
// Preloaded (`node --import`) into the sgops process the footprint bench measures: on SIGUSR2 it
// writes what the process holds — process.memoryUsage() and V8's heap spaces, in MB — to
// <tmpdir>/sgops-memory-<pid>.json. Plain JavaScript, so the compiled build needs no tsx for it.
// Nothing is collected first: the figures are what the process holds when asked.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

process.on('SIGUSR2', () => {
  const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((s) => [s.space_name, { size: mb(s.space_size), used: mb(s.space_used_size) }]),
  );
  writeFileSync(path.join(tmpdir(), `sgops-memory-${process.pid}.json`), JSON.stringify({ usage, spaces }));
});
