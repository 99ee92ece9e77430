/* global document */
// The request list: id, kind (grant, dry run, revoke), what, requester, state and age, newest
// first, narrowed by the filter box; a row selects the request.
import { stateName } from './console-words.js';

/** The colour of a state, by what its workflow says it means (waiting, working, ok, failed). */
export function phaseBadgeClass(phase) {
  if (phase === 'ok') return 'ok';
  if (phase === 'failed') return 'bad';
  return 'now';
}

export function badge(text, cls) {
  const span = document.createElement('span');
  span.className = `badge ${cls}`;
  span.textContent = text;
  return span;
}

const englishUnits = { s: ' s', min: ' min', h: ' h', d: ' d' };

/** "just now", "42 s", "5 min", "3 h", "2 d" (in `words`, when given). */
export function age(iso, now = Date.now(), words = null) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const unit = words?.units ?? englishUnits;
  if (s < 5) return words?.justNow ?? 'just now';
  if (s < 60) return `${s}${unit.s}`;
  if (s < 3600) return `${Math.floor(s / 60)}${unit.min}`;
  if (s < 86_400) return `${Math.floor(s / 3600)}${unit.h}`;
  return `${Math.floor(s / 86_400)}${unit.d}`;
}

/** Whether a request matches every word of a filter, in any of its shown fields or state words. */
export function matches(request, filter, words) {
  const hay = [
    request.id,
    request.verb,
    words.verbs[request.verb] ?? '',
    request.what,
    request.requester,
    request.state,
    stateName(words, request.state),
  ]
    .join(' ')
    .toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

export function createRequestsPane({ table, empty, noMatch, onSelect }) {
  const body = table.tBodies[0];
  let requests = [];
  let selected = null;
  let filter = '';
  let words = null;

  const cell = (label, content) => {
    const td = document.createElement('td');
    td.dataset.label = label;
    td.append(content);
    return td;
  };

  function render() {
    if (!words) return;
    const shown = requests.filter((r) => matches(r, filter, words));
    empty.hidden = requests.length > 0;
    noMatch.hidden = requests.length === 0 || shown.length > 0;
    table.hidden = shown.length === 0;
    const heads = table.tHead.rows[0].cells;
    ['id', 'verb', 'what', 'requester', 'state', 'age'].forEach(
      (c, i) => (heads[i].textContent = words.columns[c]),
    );
    body.textContent = '';
    for (const r of shown) {
      const tr = document.createElement('tr');
      tr.dataset.id = r.id;
      tr.tabIndex = 0;
      tr.setAttribute('aria-selected', String(r.id === selected));
      tr.title = `Show ${r.id}`;
      const id = document.createElement('strong');
      id.className = 'mono';
      id.textContent = r.id;
      const when = document.createElement('time');
      when.dateTime = r.createdAt;
      when.title = new Date(r.createdAt).toLocaleString();
      when.textContent = age(r.createdAt, Date.now(), words);
      const state = badge(stateName(words, r.state), phaseBadgeClass(r.phase));
      state.title = r.state;
      state.dataset.state = r.state;
      const verb = document.createElement('span');
      verb.className = `verb ${r.verb.replace(/\s+/g, '-')}`;
      verb.textContent = words.verbs[r.verb] ?? r.verb;
      tr.append(
        cell(words.columns.id, id),
        cell(words.columns.verb, verb),
        cell(words.columns.what, r.what),
        cell(words.columns.requester, r.requester),
        cell(words.columns.state, state),
        cell(words.columns.age, when),
      );
      tr.onclick = () => onSelect(r.id);
      tr.onkeydown = (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(r.id);
        }
      };
      body.append(tr);
    }
  }

  return {
    update(list) {
      requests = list;
      render();
    },
    /** Shows only the requests matching every word of `text`. */
    filter(text) {
      filter = text;
      render();
    },
    /** Speaks the reader's language. */
    speak(next) {
      words = next;
      render();
    },
    select(id) {
      selected = id;
      for (const tr of body.rows) tr.setAttribute('aria-selected', String(tr.dataset.id === id));
    },
    /** Ages move on even when nothing else does. */
    tick() {
      for (const t of body.querySelectorAll('time')) t.textContent = age(t.dateTime, Date.now(), words);
    },
    get requests() {
      return requests;
    },
  };
}
