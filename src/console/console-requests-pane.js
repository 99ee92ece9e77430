/* global document */
// The request list: id, what, requester, state and age, newest first; a row selects the request.

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

/** "just now", "42 s", "5 min", "3 h", "2 d". */
export function age(iso, now = Date.now()) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export function createRequestsPane({ table, empty, onSelect }) {
  const body = table.tBodies[0];
  let requests = [];
  let selected = null;

  const cell = (label, content) => {
    const td = document.createElement('td');
    td.dataset.label = label;
    td.append(content);
    return td;
  };

  function render() {
    empty.hidden = requests.length > 0;
    table.hidden = requests.length === 0;
    body.textContent = '';
    for (const r of requests) {
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
      when.textContent = age(r.createdAt);
      tr.append(
        cell('ID', id),
        cell('What', r.what),
        cell('Requester', r.requester),
        cell('State', badge(r.state, phaseBadgeClass(r.phase))),
        cell('Age', when),
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
    select(id) {
      selected = id;
      for (const tr of body.rows) tr.setAttribute('aria-selected', String(tr.dataset.id === id));
    },
    /** Ages move on even when nothing else does. */
    tick() {
      for (const t of body.querySelectorAll('time')) t.textContent = age(t.dateTime);
    },
    get requests() {
      return requests;
    },
  };
}
