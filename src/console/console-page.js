/* global document, window, location, history, localStorage, AbortController, Option, setInterval, URLSearchParams */
// The console page: asks for a token when the bot wants one, then wires the chat, the request
// list and the selected request's live view (Server-Sent Events from /api/events), all in the
// language of the person it speaks as.
import { createActionsBar } from './console-actions.js';
import { createApi } from './console-api.js';
import { createChatPane } from './console-chat-pane.js';
import { renderDetail } from './console-detail-pane.js';
import { createRequestsPane } from './console-requests-pane.js';
import { makeResizable } from './console-resizer.js';
import { stateName, wordsFor } from './console-words.js';

const $ = (id) => document.getElementById(id);
const gate = $('token-gate');
const layout = $('layout');
const personSelect = $('person');
const detail = $('detail');
const live = $('live');

let selected = location.hash.slice(1).toUpperCase() || null;
let streamAbort = null;
const graphs = new Map();
// Whether a person opened or closed a request's plan, so live updates keep their choice.
const planOpen = new Map();
const stepsOpen = new Map();
let people = [];
let words = wordsFor('en');

const api = createApi({ onUnauthorized: showGate });
const chat = createChatPane({
  api,
  log: $('log'),
  form: $('say'),
  line: $('line'),
  onOpenRequest: (id, scroll, action) => {
    select(id);
    if (action) actions.want(id.toUpperCase(), action);
    // On a phone the request is below the chat: take the person there when they asked for it.
    if (scroll && window.matchMedia('(max-width: 900px)').matches) $('detail-pane').scrollIntoView();
  },
});
const requests = createRequestsPane({
  table: $('requests'),
  empty: $('requests-empty'),
  noMatch: $('requests-none'),
  onSelect: (id) => select(id),
});
const actions = createActionsBar({ container: $('actions'), say: (line) => chat.say(line), words });
$('filter').oninput = () => requests.filter($('filter').value);

/** Puts the page in the words of the person it speaks as. */
function speak(locale) {
  words = wordsFor(locale);
  document.documentElement.lang = words.lang;
  document.title = words.title;
  for (const node of document.querySelectorAll('[data-w]')) node.textContent = words[node.dataset.w];
  personSelect.setAttribute('aria-label', words.speakingAs);
  $('line').placeholder = words.command;
  $('line').setAttribute('aria-label', words.command);
  $('filter').placeholder = words.filterHint;
  $('filter').setAttribute('aria-label', words.filter);
  live.title = words.live;
  actions.speak(words);
  requests.speak(words);
}

function showGate(message) {
  chat.stop();
  streamAbort?.abort();
  layout.hidden = true;
  $('jump').hidden = true;
  gate.hidden = false;
  const error = $('token-error');
  error.hidden = !api.hasToken() && !message;
  error.textContent = message ?? 'That token was refused. Paste a valid one.';
  $('token').focus();
}

gate.onsubmit = (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  api.setToken(token);
  $('token').value = '';
  void start();
};

async function graphOf(workflow) {
  if (!graphs.has(workflow))
    graphs.set(workflow, await api.call(`/api/workflows/${encodeURIComponent(workflow)}`));
  return graphs.get(workflow);
}

async function showDetail(body) {
  if (body.missing) {
    detail.replaceChildren(
      Object.assign(document.createElement('p'), {
        className: 'empty',
        textContent: words.missing(body.missing),
      }),
    );
    actions.clear();
    return;
  }
  if (body.request.id !== selected) return;
  const id = body.request.id;
  // Screen readers hear the state when it changes, not the whole pane on every update.
  const said = `${id}: ${stateName(words, body.state)}${body.progress ? `: ${body.progress}` : ''}`;
  if ($('announce').textContent !== said) $('announce').textContent = said;
  chat.know([body.request]);
  const graph = await graphOf(body.request.workflow);
  if (body.request.id !== selected) return;
  actions.update(body);
  renderDetail(detail, body, graph, {
    words,
    open: planOpen.get(id),
    onToggle: (open) => planOpen.set(id, open),
    // A button elsewhere in the pane (the drift box's Repair) takes the actions bar's own action.
    onAction: (action) => actions.want(id, action),
    steps: stepsOpen.get(id) ?? stepsOpen.set(id, new Map()).get(id),
  });
}

function listen() {
  streamAbort?.abort();
  const controller = new AbortController();
  streamAbort = controller;
  // The list and the view are what the chosen person may see (with a token, the token's person).
  const query = new URLSearchParams({
    ...(selected ? { request: selected } : {}),
    ...(personSelect.value ? { as: personSelect.value } : {}),
  }).toString();
  void api.stream(`/api/events${query ? `?${query}` : ''}`, {
    signal: controller.signal,
    onOpen: () => live.classList.add('on'),
    onDrop: () => live.classList.remove('on'),
    onEvent: (event, body) => {
      if (controller.signal.aborted) return;
      if (event === 'requests') {
        requests.update(body.requests);
        chat.know(body.requests);
        // Nothing chosen yet: show the newest, so a newcomer sees their request at once.
        if (!selected && body.requests[0]) select(body.requests[0].id);
      } else if (event === 'request') void showDetail(body);
    },
  });
}

function select(id) {
  const next = id.toUpperCase();
  if (next === selected && streamAbort) return;
  selected = next;
  history.replaceState(null, '', `#${next}`);
  requests.select(next);
  actions.clear();
  detail.replaceChildren(
    Object.assign(document.createElement('p'), { className: 'empty', textContent: words.loading(next) }),
  );
  listen();
}

const localeOf = (id) => people.find((p) => p.id === id)?.locale ?? 'en';
const personKey = 'sgops.console.person';

async function start() {
  try {
    ({ people } = await api.call('/api/people'));
  } catch {
    return; // showGate has run
  }
  gate.hidden = true;
  layout.hidden = false;
  $('jump').hidden = false;
  personSelect.replaceChildren(...people.map((p) => new Option(`${p.name} (${p.id})`, p.id)));
  // The person chosen last in this browser comes back after a reload, with their conversation.
  const last = localStorage.getItem(personKey);
  if (last && people.some((p) => p.id === last)) personSelect.value = last;
  personSelect.onchange = () => {
    localStorage.setItem(personKey, personSelect.value);
    speak(localeOf(personSelect.value));
    chat.switchTo(personSelect.value, words);
    listen();
  };
  speak(localeOf(personSelect.value));
  chat.switchTo(personSelect.value ?? people[0]?.id ?? '', words);
  if (selected) requests.select(selected);
  listen();
}

// A link or the back button may name another request.
window.addEventListener('hashchange', () => {
  const id = location.hash.slice(1);
  if (id && id.toUpperCase() !== selected) select(id);
});
for (const b of document.querySelectorAll('#jump button'))
  b.onclick = () => $(b.dataset.pane).scrollIntoView();
setInterval(() => requests.tick(), 15_000);
makeResizable({ layout, handle: $('resizer') });
void start();
