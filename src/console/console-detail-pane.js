/* global document */
// The selected request: its workflow diagram (drawn from the machine's graph served by the bot),
// the plan, the per-pod verification and the audit timeline.
import { age, badge, phaseBadgeClass } from './console-requests-pane.js';

const icons = { done: '✓', current: '●', failed: '✗', skipped: '–' };
const statusWords = {
  done: 'done',
  current: 'current',
  failed: 'failed here',
  skipped: 'skipped',
  pending: 'not yet',
};

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** A camelCase id that may wrap between its words: ensure·Pod·Security·Group. */
function breakable(id) {
  return id
    .split(/(?=[A-Z])/)
    .flatMap((part, i) => (i === 0 ? [part] : [document.createElement('wbr'), part]));
}

function stateNode(state, status, number, graph) {
  const labels = graph.labels ?? {};
  const tone = phaseBadgeClass(graph.phases?.[state.id]);
  const transitions = state.transitions
    .filter((t) => t.targets.some((target) => target !== state.id))
    .map((t) => `on ${t.event} → ${t.targets.join(' | ')}`)
    .join('\n');
  // The good end, reached, is a tick; any other state the request rests in is a dot.
  const reachedEnd = status === 'current' && state.final && tone === 'ok';
  const icon = reachedEnd ? '✓' : (icons[status] ?? (number === null ? '○' : String(number)));
  return el(
    'li',
    {
      dataset: { state: state.id, status, final: String(state.final), tone },
      title: transitions || 'an end state',
      'aria-label': `${state.id}: ${statusWords[status] ?? status}`,
      ...(status === 'current' ? { 'aria-current': 'step' } : {}),
    },
    el('span', { className: 'icon', 'aria-hidden': 'true' }, icon),
    el(
      'span',
      { className: 'text' },
      el('span', { className: 'name mono' }, ...breakable(state.id)),
      labels[state.id] ? el('span', { className: 'label' }, labels[state.id]) : null,
    ),
  );
}

/** The diagram of `graph` as the bot serves it: its states, the words under them and what each means. */
export function diagram(graph, statuses) {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const main = el('ol', {
    className: 'flow main',
    'aria-label': 'Workflow steps',
    style: `--steps: ${graph.mainPath.length}`,
  });
  graph.mainPath.forEach((id, i) => {
    const state = byId.get(id);
    main.append(stateNode(state, statuses[id] ?? 'pending', state.final ? null : i + 1, graph));
  });
  const side = el('ul', { className: 'flow side', 'aria-label': 'Other ways a request ends' });
  for (const state of graph.states.filter((s) => s.place === 'side'))
    side.append(stateNode(state, statuses[state.id] ?? 'pending', null, graph));
  return el(
    'div',
    { className: 'diagram', id: 'diagram' },
    main,
    el('p', { className: 'flow-caption' }, 'Other ways it can end:'),
    side,
    el(
      'p',
      { className: 'legend' },
      '✓ done · ● current · ✗ failed or stopped here · – skipped · hover a state for its transitions',
    ),
  );
}

function table(id, caption, columns, rows) {
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c)));
  const body = el('tbody');
  for (const row of rows)
    body.append(
      el('tr', {}, ...row.map((content, i) => el('td', { dataset: { label: columns[i] } }, content))),
    );
  return el('table', { className: 'stack', id, 'aria-label': caption }, el('thead', {}, head), body);
}

function planSection(plan, podGroupId, open, onToggle) {
  if (!plan) return el('p', { className: 'empty' }, 'The plan appears once the planning step is done.');
  const facts = [
    `cluster ${plan.cluster.id} (${plan.cluster.name}, Kubernetes ${plan.cluster.version}, ${plan.cluster.vpcId})`,
    `cluster group ${plan.clusterGroupId}`,
    // A grant's pod group (undefined for other workflows, whose changes below name it).
    podGroupId === undefined
      ? null
      : podGroupId
        ? `pod group ${podGroupId}${plan.existingPodGroupId ? ' (reused)' : ''}`
        : 'pod group: to be created',
  ].filter((fact) => fact !== null);
  const details = el(
    'details',
    { id: 'plan-changes', open },
    el(
      'summary',
      {},
      `${plan.changes.length} changes, with the tccli and kubectl line for each`,
      plan.pods.length ? ` · ${plan.pods.length} pods` : '',
    ),
    badgedList('ol', 'changes', 'Planned changes', plan.changes, (c) => [
      badge(c.system, c.system === 'tencentcloud' ? 'now' : 'warn'),
      ' ',
      c.summary,
      el('pre', {}, el('code', {}, c.command)),
    ]),
    plan.pods.length
      ? table(
          'plan-pods',
          'Pods selected',
          ['Pod', 'Node', 'Super node', 'Workload'],
          plan.pods.map((p) => [
            el('span', { className: 'mono' }, p.name),
            p.node ?? '—',
            p.superNode ? 'yes' : badge('no', 'bad'),
            p.workload ?? '—',
          ]),
        )
      : null,
  );
  // A click (or Enter) on the summary is a person's choice; the toggle event also fires for our own `open`.
  details.querySelector('summary').addEventListener('click', () => onToggle(!details.open));
  return el(
    'div',
    { id: 'plan' },
    el('p', { className: 'facts' }, facts.join(' · ')),
    plan.warnings.length
      ? el(
          'div',
          { className: 'notice warn', role: 'note' },
          el('strong', {}, 'Warnings'),
          el('ul', { className: 'warnings' }, ...plan.warnings.map((w) => el('li', {}, w))),
        )
      : null,
    details,
  );
}

/** A list whose items each begin with a badge: `partsOf` gives an item's badge and what follows it. */
function badgedList(tag, className, label, items, partsOf) {
  return el(tag, { className, 'aria-label': label }, ...items.map((item) => el('li', {}, ...partsOf(item))));
}

/** The line as asked, other teams' groups it touches, and whose sign-off each set has. */
function signOffSection(detail) {
  if (detail.signOffs.length === 0) return null;
  return el(
    'div',
    { id: 'sign-offs' },
    detail.asked ? el('p', { className: 'facts' }, 'asked: ', el('code', {}, detail.asked)) : null,
    badgedList('ul', 'sign-offs', 'Sign-offs', detail.signOffs, (s) => [
      badge(`${s.signed.length} of ${s.quorum}`, s.signed.length >= s.quorum ? 'ok' : 'warn'),
      ` ${s.who}`,
      s.signed.length ? ` — signed by ${s.signed.join(', ')}` : '',
      ...s.groups.map((g) =>
        el(
          'div',
          { className: 'foreign' },
          `another team's group ${g.name} (${g.id}): ${g.touches.join('; ')}`,
        ),
      ),
    ]),
  );
}

function verificationSection(verification) {
  if (!verification) return el('p', { className: 'empty' }, 'Pods are checked once they are recreated.');
  return table(
    'verification',
    'Per-pod verification',
    ['Pod', 'Node', 'Groups', 'Result'],
    verification.pods.map((p) => [
      el('span', { className: 'mono' }, p.name),
      p.node ?? '—',
      el(
        'span',
        { className: 'groups' },
        ...(p.groups.length ? p.groups.map((g) => el('code', {}, g)) : ['none']),
      ),
      p.ok ? badge('✓ ok', 'ok') : el('span', {}, badge('✗', 'bad'), ' ', p.reason ?? 'not verified'),
    ]),
  );
}

function auditSection(audit) {
  if (audit === null) return el('p', { className: 'empty' }, 'The audit timeline is not available here.');
  if (audit.length === 0) return el('p', { className: 'empty' }, 'No calls yet.');
  return table(
    'audit',
    'Audit timeline',
    ['Time', 'System', 'Action', 'Target', 'Outcome', 'Duration', 'RequestId'],
    audit.map((a) => [
      el('time', { dateTime: a.at, title: a.at }, new Date(a.at).toLocaleTimeString([], { hour12: false })),
      a.system,
      el(
        'span',
        { className: 'mono', title: a.step ? `step ${a.step} · by ${a.actor}` : `by ${a.actor}` },
        a.action,
      ),
      el('span', { className: 'mono' }, a.target),
      a.outcome === null
        ? badge('…', 'now')
        : badge(a.outcome, a.outcome === 'ok' || a.outcome === 'accepted' ? 'ok' : 'bad'),
      a.durationMs === null ? '—' : `${a.durationMs} ms`,
      a.cloudRequestId
        ? el('span', { className: 'mono' }, a.cloudRequestId)
        : el('span', { className: 'none' }, '—'),
    ]),
  );
}

function ago(iso) {
  const a = age(iso);
  return a === 'just now' ? a : `${a} ago`;
}

/**
 * Draws `detail` into `container`. The plan's changes start open while a decision is pending and
 * closed afterwards; `plan` keeps a person's own choice across live re-renders.
 */
export function renderDetail(container, detail, graph, plan) {
  const r = detail.request;
  const planOpen = plan.open ?? detail.planOpen;
  const people = detail.approvals.map((a) => a.by).join(', ');
  const parts = [
    el(
      'div',
      { className: 'summary' },
      el('span', { className: 'id mono' }, r.id),
      badge(detail.state, phaseBadgeClass(detail.phase)),
      el('span', {}, r.what),
    ),
    el(
      'p',
      { className: 'facts' },
      `asked by ${r.requester}, ${ago(r.createdAt)}`,
      people ? ` · approved by ${people}` : '',
      detail.decision?.reason ? ` · ${detail.decision.by}: “${detail.decision.reason}”` : '',
    ),
    detail.progress ? el('p', { className: 'notice info' }, detail.progress) : null,
    detail.error
      ? el(
          'div',
          { className: 'notice bad', role: 'alert' },
          el('strong', {}, `${detail.failedStep ?? 'error'}: ${detail.error.code}`),
          el('div', {}, detail.error.message),
          detail.error.hint ? el('div', {}, `Hint: ${detail.error.hint}`) : null,
        )
      : null,
    signOffSection(detail),
    el('h3', {}, 'Workflow'),
    diagram(graph, detail.statuses),
    // Only a workflow that verifies its pods at the end (a grant) shows the verification.
    ...(detail.facts.verification
      ? [el('h3', {}, 'Verification'), verificationSection(detail.verification)]
      : []),
    el('h3', {}, 'Plan'),
    planSection(detail.plan, detail.facts.podGroup ? detail.podGroupId : undefined, planOpen, plan.onToggle),
    el('h3', {}, 'Audit timeline'),
    auditSection(detail.audit),
  ];
  container.replaceChildren(...parts.filter((p) => p !== null));
}
