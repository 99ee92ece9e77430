/* global document, navigator */
// The selected request: its workflow diagram (drawn from the machine's graph served by the bot),
// the plan, the per-pod verification and each step with the audited calls behind it — in the
// reader's words (`words`, see console-words.js), with internal ids on hover.
import { livePodRows } from './console-live-pods.js';
import { age, badge, phaseBadgeClass } from './console-requests-pane.js';
import { stateName } from './console-words.js';

const icons = { done: '✓', current: '●', failed: '✗', skipped: '–' };
const statusWords = {
  done: 'done',
  current: 'current',
  failed: 'failed here',
  skipped: 'skipped',
  pending: 'not yet',
};

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

function stateNode(state, status, number, graph, words) {
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
      title: `${state.id}\n${transitions || 'an end state'}`,
      'aria-label': `${stateName(words, state.id)}: ${statusWords[status] ?? status}`,
      ...(status === 'current' ? { 'aria-current': 'step' } : {}),
    },
    el('span', { className: 'icon', 'aria-hidden': 'true' }, icon),
    el('span', { className: 'text' }, el('span', { className: 'name' }, stateName(words, state.id))),
  );
}

/** The diagram of `graph` as the bot serves it: its states, the words under them and what each means. */
export function diagram(graph, statuses, words) {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const main = el('ol', {
    className: 'flow main',
    'aria-label': 'Workflow steps',
    style: `--steps: ${graph.mainPath.length}`,
  });
  graph.mainPath.forEach((id, i) => {
    const state = byId.get(id);
    main.append(stateNode(state, statuses[id] ?? 'pending', state.final ? null : i + 1, graph, words));
  });
  // Of the other ways a request can end, only those this request took: the rest is noise.
  const taken = graph.states.filter((s) => s.place === 'side' && (statuses[s.id] ?? 'pending') !== 'pending');
  const side = el('ul', { className: 'flow side', 'aria-label': words.otherEnds });
  for (const state of taken) side.append(stateNode(state, statuses[state.id], null, graph, words));
  return el(
    'div',
    { className: 'diagram', id: 'diagram' },
    main,
    taken.length ? el('p', { className: 'flow-caption' }, words.otherEnds) : null,
    taken.length ? side : null,
    el('p', { className: 'legend' }, words.legend),
  );
}

/** `data` holds each row's dataset, when its rows say more than their text. */
function table(id, caption, columns, rows, data = []) {
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c)));
  const body = el('tbody');
  rows.forEach((row, r) =>
    body.append(
      el(
        'tr',
        { dataset: data[r] ?? {} },
        ...row.map((content, i) => el('td', { dataset: { label: columns[i] } }, content)),
      ),
    ),
  );
  return el('table', { className: 'stack', id, 'aria-label': caption }, el('thead', {}, head), body);
}

/** A command as a block to copy: the text as is (never markdown backticks) and a Copy button. */
export function codeBlock(text, words) {
  const copy = el('button', { type: 'button', className: 'copy', title: words.copy }, words.copy);
  copy.onclick = () => {
    void navigator.clipboard?.writeText(text).then(
      () => (copy.textContent = words.copied),
      () => {},
    );
  };
  return el('div', { className: 'code' }, el('pre', {}, el('code', {}, text)), copy);
}

function planSection(plan, podGroupId, open, onToggle, words) {
  if (!plan) return el('p', { className: 'empty' }, words.planLater);
  const facts = [
    words.facts.cluster(plan.cluster),
    words.facts.clusterGroup(plan.clusterGroupId),
    // A grant's pod group (undefined for other workflows, whose changes below name it).
    podGroupId === undefined
      ? null
      : podGroupId
        ? words.facts.podGroup(podGroupId, Boolean(plan.existingPodGroupId))
        : words.facts.podGroupLater,
  ].filter((fact) => fact !== null);
  const details = el(
    'details',
    { id: 'plan-changes', open },
    el('summary', {}, words.changes(plan.changes.length, plan.pods.length)),
    badgedList('ol', 'changes', words.plan, plan.changes, (c) => [
      badge(c.system, c.system === 'tencentcloud' ? 'now' : 'warn'),
      ' ',
      c.summary,
      codeBlock(c.command, words),
    ]),
    plan.pods.length
      ? table(
          'plan-pods',
          words.podColumns[0],
          words.podColumns,
          plan.pods.map((p) => [
            el('span', { className: 'mono' }, p.name),
            p.node ?? '—',
            p.superNode ? '✓' : badge('✗', 'bad'),
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
          el('strong', {}, words.warnings),
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
function signOffSection(detail, words) {
  if (detail.signOffs.length === 0) return null;
  return el(
    'div',
    { id: 'sign-offs' },
    detail.asked ? codeBlock(detail.asked, words) : null,
    badgedList('ul', 'sign-offs', 'Sign-offs', detail.signOffs, (s) => [
      badge(`${s.signed.length} / ${s.quorum}`, s.signed.length >= s.quorum ? 'ok' : 'warn'),
      ` ${s.who}`,
      s.signed.length ? ` — ✓ ${s.signed.join(', ')}` : '',
      ...s.groups.map((g) =>
        el('div', { className: 'foreign' }, words.facts.foreignGroup(g, g.touches.join('; '))),
      ),
    ]),
  );
}

function verificationSection(verification, words) {
  if (!verification) return el('p', { className: 'empty' }, words.podsLater);
  return table(
    'verification',
    words.verification,
    words.verifyColumns,
    verification.pods.map((p) => [
      el('span', { className: 'mono' }, p.name),
      p.node ?? '—',
      el(
        'span',
        { className: 'groups' },
        ...(p.groups.length ? p.groups.map((g) => el('code', {}, g)) : ['—']),
      ),
      p.ok
        ? badge(words.verified, 'ok')
        : el('span', {}, badge('✗', 'bad'), ' ', p.reason ?? words.notVerified),
    ]),
  );
}

function livePodsSection(pods, words) {
  if (pods.length === 0) return el('p', { className: 'empty', id: 'live-pods' }, words.noPods);
  const { rows, data } = livePodRows(pods, words);
  return table('live-pods', words.livePods, words.livePodColumns, rows, data);
}

const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour12: false });

/** "840 ms", "3.2 s", "2 min 5 s". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** An outcome in the reader's words (a refusal keeps its reason's id), the id on hover. */
function outcomeBadge(outcome, words) {
  if (outcome === null) return badge('…', 'now');
  const fine = outcome === 'ok' || outcome === 'accepted' || outcome === 'asked';
  const [kind, why] = outcome.split(/:(.*)/s);
  const text = words.outcomes[kind] ? `${words.outcomes[kind]}${why ? `: ${why}` : ''}` : outcome;
  const node = badge(text, fine ? 'ok' : 'bad');
  node.title = outcome;
  return node;
}

/**
 * Each step as it ran, like a CI job: its plain name (id on hover), start, end and duration, and
 * the audited calls behind it — who, which system, what, on what, how it ended, the cloud RequestId.
 * Running and failed steps start open.
 */
function stepsSection(steps, words, chosen) {
  if (steps === null) return el('p', { className: 'empty' }, words.noAudit);
  if (steps.length === 0) return el('p', { className: 'empty' }, words.noCalls);
  return el(
    'div',
    { id: 'steps' },
    ...steps.map((run, i) => {
      // People's decisions say which: "Decisions: request", "Decisions: approve".
      const name = run.step
        ? stateName(words, run.step)
        : words.decisions(
            [...new Set(run.calls.map((c) => words.decisionActions[c.action] ?? c.action))].join(', '),
          );
      const open = chosen.get(i) ?? (run.outcome === null || (run.outcome !== 'ok' && run.step !== null));
      const node = el(
        'details',
        { className: 'step', open, dataset: { step: run.step ?? '', outcome: run.outcome ?? 'running' } },
        el(
          'summary',
          { title: run.step ?? '' },
          outcomeBadge(run.outcome, words),
          el('span', { className: 'step-name' }, name),
          el(
            'span',
            { className: 'step-time' },
            el('time', { dateTime: run.startedAt }, clock(run.startedAt)),
            ' → ',
            run.endedAt ? el('time', { dateTime: run.endedAt }, clock(run.endedAt)) : words.running,
          ),
          el('span', { className: 'step-duration' }, duration(run.durationMs)),
          el('span', { className: 'step-calls' }, words.calls(run.calls.length)),
        ),
        table(
          `step-calls-${i}`,
          name,
          words.auditColumns,
          run.calls.map((a) => [
            el('time', { dateTime: a.at, title: a.at }, clock(a.at)),
            a.actor,
            a.system,
            el('span', { className: 'mono' }, a.action),
            el('span', { className: 'mono' }, a.target),
            outcomeBadge(a.outcome, words),
            duration(a.durationMs),
            a.cloudRequestId
              ? el('span', { className: 'mono' }, a.cloudRequestId)
              : el('span', { className: 'none' }, '—'),
          ]),
        ),
      );
      // A person's choice outlives the live re-renders, as the plan's does.
      node.querySelector('summary').addEventListener('click', () => chosen.set(i, !node.open));
      return node;
    }),
  );
}

function ago(iso, words) {
  const a = age(iso, Date.now(), words);
  return a === words.justNow ? a : words.ago(a);
}

/**
 * Draws `detail` into `container` in `view.words`. The plan's changes start open while a decision
 * is pending and closed afterwards; `view.open` keeps a person's own choice across live re-renders,
 * and `view.steps` (step index → open) theirs for each step.
 */
export function renderDetail(container, detail, graph, view) {
  const { words } = view;
  const r = detail.request;
  const planOpen = view.open ?? detail.planOpen;
  const people = detail.approvals.map((a) => a.by).join(', ');
  const parts = [
    el(
      'div',
      { className: 'summary' },
      el('span', { className: 'id mono' }, r.id),
      el('span', { className: 'verb' }, words.verbs[r.verb] ?? r.verb),
      el(
        'span',
        { title: detail.state },
        badge(stateName(words, detail.state), phaseBadgeClass(detail.phase)),
      ),
      el('span', {}, r.what),
    ),
    el(
      'p',
      { className: 'facts' },
      words.askedBy(r.requester, ago(r.createdAt, words)),
      people ? ` · ${words.approvedBy(people)}` : '',
      detail.expiresAt
        ? el(
            'span',
            { className: 'expires' },
            ' · ',
            el(
              'time',
              { dateTime: detail.expiresAt, title: detail.expiresAt },
              words.expires(new Date(detail.expiresAt).toLocaleString()),
            ),
          )
        : null,
      detail.decision?.reason ? ` · ${detail.decision.by}: “${detail.decision.reason}”` : '',
    ),
    detail.reason ? el('p', { className: 'facts reason' }, `${words.because}: “${detail.reason}”`) : null,
    detail.progress ? el('p', { className: 'notice info' }, detail.progress) : null,
    detail.drift
      ? el(
          'div',
          { className: 'notice bad drift', role: 'status' },
          el(
            'strong',
            {},
            words.drift(new Date(detail.drift.since).toLocaleString(words.lang), detail.drift.since),
          ),
          el('ul', {}, ...detail.drift.notes.map((n) => el('li', {}, n))),
          // Pressing it is the person's line `repair <id>`, sent as the actions bar sends it.
          detail.actions.some((a) => a.id === 'repair')
            ? el(
                'button',
                {
                  type: 'button',
                  className: 'primary',
                  dataset: { driftAction: 'repair' },
                  onclick: () => view.onAction?.('repair'),
                },
                words.actions.repair,
              )
            : null,
        )
      : null,
    detail.error
      ? el(
          'div',
          { className: 'notice bad', role: 'alert' },
          el(
            'strong',
            { title: detail.failedStep ?? '' },
            `${detail.failedStep ? stateName(words, detail.failedStep) : 'error'}: ${detail.error.code}`,
          ),
          el('div', {}, detail.error.message),
          detail.error.hint ? el('div', {}, `${words.hint2}: ${detail.error.hint}`) : null,
        )
      : null,
    signOffSection(detail, words),
    el('h3', {}, words.workflow),
    diagram(graph, detail.statuses, words),
    // While pods restart, each of them as it is now.
    ...(detail.pods ? [el('h3', {}, words.livePods), livePodsSection(detail.pods, words)] : []),
    // Only a workflow that verifies its pods at the end (a grant) shows the verification.
    ...(detail.facts.verification
      ? [el('h3', {}, words.verification), verificationSection(detail.verification, words)]
      : []),
    el('h3', {}, words.steps),
    stepsSection(detail.steps, words, view.steps),
    el('h3', {}, words.plan),
    planSection(
      detail.plan,
      detail.facts.podGroup ? detail.podGroupId : undefined,
      planOpen,
      view.onToggle,
      words,
    ),
  ];
  container.replaceChildren(...parts.filter((p) => p !== null));
}
