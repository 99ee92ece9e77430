/* global document */
// An explanation drawn as a short path under its answer: the pod, the egress hop with the rule
// that decided it, the ingress hop with its rule, the target; each distinct path once (pods that
// meet the same rules share it). The answer's text says it all in words; this is the picture.

function subjectText(subject) {
  if (subject.kind === 'pod') return subject.name;
  if (subject.kind === 'securityGroup') return subject.name ? `${subject.id} (${subject.name})` : subject.id;
  return subject.text;
}

function chip(text, cls) {
  const span = document.createElement('span');
  span.className = `chip ${cls}`;
  span.textContent = text;
  return span;
}

function hopChip(hop, words) {
  const rule = hop.rule
    ? `${hop.rule.groupId} #${hop.rule.policyIndex} ${hop.rule.text}`
    : [...(hop.groupIds ?? []), words.explain.noRule].join(' ');
  const span = chip(
    `${words.explain[hop.direction]}${words.lang.startsWith('zh') ? '：' : ': '}${rule}`,
    `hop ${hop.verdict}`,
  );
  span.title = hop.said;
  return span;
}

/** The path picture of an explain answer's facts, or null when the message is no explanation. */
export function explainPathView(facts, words) {
  if (!facts || !Array.isArray(facts.pods)) return null;
  const box = document.createElement('div');
  box.className = 'explain-path';
  const seen = new Set();
  for (const pod of facts.pods) {
    for (const path of pod.paths ?? pod.dns?.paths ?? []) {
      const key = JSON.stringify([
        path.target,
        path.flow,
        path.hops.map((h) => [h.verdict, h.rule?.groupId, h.rule?.policyIndex]),
      ]);
      if (seen.has(key) || seen.size >= 6) continue;
      seen.add(key);
      const row = document.createElement('div');
      row.className = `path ${path.verdict}`;
      row.dataset.verdict = path.verdict;
      const flow = path.flow.protocol === 'ICMP' ? 'ICMP' : `${path.flow.protocol} ${path.flow.port}`;
      row.append(
        chip(subjectText(path.source), 'end'),
        chip('→', 'arrow'),
        hopChip(path.hops[0], words),
        chip('→', 'arrow'),
        hopChip(path.hops[1], words),
        chip('→', 'arrow'),
        chip(`${subjectText(path.target)} · ${flow}`, 'end'),
      );
      box.append(row);
    }
  }
  return box.childElementCount > 0 ? box : null;
}

/** Buttons that start an answer's offered lines: a press is the person's own line. */
export function offerButtons(lines, words, say) {
  const row = document.createElement('div');
  row.className = 'actions offers';
  for (const line of lines) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'primary';
    b.textContent = words.explain.start;
    b.title = line;
    b.setAttribute('aria-label', `${words.explain.start}: ${line}`);
    b.onclick = () => void say(line);
    row.append(b);
  }
  return row;
}
