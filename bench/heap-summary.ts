/**
 * Summarises a V8 heap snapshot (`v8.writeHeapSnapshot()`, `node --heapsnapshot-signal=SIGUSR2`):
 * self size by node type and by constructor, and the largest single objects, to tell what a
 * resident footprint holds. Usage: `npx tsx bench/heap-summary.ts <file.heapsnapshot> [top]`.
 */
import { readFileSync } from 'node:fs';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapRow {
  name: string;
  count: number;
  bytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  byType: HeapRow[];
  byConstructor: HeapRow[];
  largest: HeapRow[];
}

function sorted(rows: Map<string, HeapRow>, top: number): HeapRow[] {
  return [...rows.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
}

export function summariseHeap(snapshot: HeapSnapshot, top = 25): HeapSummary {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byType = new Map<string, HeapRow>();
  const byConstructor = new Map<string, HeapRow>();
  const largest: HeapRow[] = [];
  let totalBytes = 0;
  const add = (rows: Map<string, HeapRow>, name: string, bytes: number) => {
    const row = rows.get(name) ?? { name, count: 0, bytes: 0 };
    row.count += 1;
    row.bytes += bytes;
    rows.set(name, row);
  };
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const bytes = snapshot.nodes[i + sizeAt]!;
    const rawName = snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '';
    // Strings are named by their text: group them as one kind, but keep their sizes for `largest`.
    const name = type === 'object' || type === 'closure' ? rawName : `(${type})`;
    totalBytes += bytes;
    add(byType, type, bytes);
    add(byConstructor, `${name}`.slice(0, 80), bytes);
    if (bytes >= 64 * 1024) largest.push({ name: `${type} ${rawName.slice(0, 60)}`, count: 1, bytes });
  }
  return {
    totalBytes,
    byType: sorted(byType, top),
    byConstructor: sorted(byConstructor, top),
    largest: largest.sort((a, b) => b.bytes - a.bytes).slice(0, top),
  };
}

function table(title: string, rows: HeapRow[]): string {
  const mb = (b: number) => (b / 2 ** 20).toFixed(2).padStart(8);
  return [title, ...rows.map((r) => `${mb(r.bytes)} MB ${String(r.count).padStart(8)} × ${r.name}`)].join(
    '\n',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/heap-summary.ts <file.heapsnapshot> [top]');
    process.exit(2);
  }
  const summary = summariseHeap(JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot, Number(top ?? 25));
  console.log(`heap: ${(summary.totalBytes / 2 ** 20).toFixed(1)} MB of live objects\n`);
  console.log(table('by node type', summary.byType));
  console.log(`\n${table('by constructor (objects, closures) or kind', summary.byConstructor)}`);
  console.log(`\n${table('largest single objects', summary.largest)}`);
}
