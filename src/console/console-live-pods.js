/* global document */
// The pods of a request while they restart, one row each: name, node, whether the node is a super
// node, where the pod is in its restart (an old one going, a new one on its way, one up) and
// whether it carries the request's group — redrawn on every live update (see live-pods.ts).
import { badge } from './console-requests-pane.js';

const tones = { terminating: 'warn', pending: 'now', starting: 'now', running: 'ok', failed: 'bad' };

/**
 * The rows of the live pod table in `words`, and each row's data (`pod`, `phase`, `group`) for
 * whoever reads the page by its structure.
 */
export function livePodRows(pods, words) {
  const rows = pods.map((p) => {
    const name = document.createElement('span');
    name.className = 'mono';
    name.textContent = p.name;
    const group = badge(p.withGroup ? words.withGroup : words.withoutGroup, p.withGroup ? 'ok' : 'warn');
    group.title = p.groups.join(', ') || '—';
    return [
      name,
      p.node ?? '—',
      p.superNode ? '✓' : badge('✗', 'bad'),
      badge(words.podPhases[p.phase] ?? p.phase, tones[p.phase] ?? 'now'),
      group,
    ];
  });
  const data = pods.map((p) => ({ pod: p.name, phase: p.phase, group: String(p.withGroup) }));
  return { rows, data };
}
