/* global document, localStorage, setTimeout */
// The chat pane: say lines as the chosen person and read the bot's answers, long-polling
// /api/messages. Approval cards get Approve and Deny buttons, closed once the request has moved
// on; request ids open the request, and a request opened by a line said here opens at once.
// The bot keeps only its own messages, so the person's lines are kept in this browser (by the
// message id the bot answers `inReplyTo`) and come back before their answers after a reload.
import { explainPathView, offerButtons } from './console-explain.js';
import { codeBlock } from './console-detail-pane.js';
import { stateName } from './console-words.js';

const linesKey = (person) => `sgops.console.lines.${person}`;
const keptLines = 200;

function readLines(person) {
  try {
    return JSON.parse(localStorage.getItem(linesKey(person)) ?? '[]');
  } catch {
    return [];
  }
}

function keepLine(person, messageId, text) {
  const lines = [...readLines(person), { messageId, text, at: new Date().toISOString() }];
  localStorage.setItem(linesKey(person), JSON.stringify(lines.slice(-keptLines)));
}

/**
 * A bot text as the page shows it: ``` fences, the plan's `  $ tccli …` lines and a line that is
 * only a `line to type` (a "Did you mean") become code blocks to copy, other `spans` code, so no
 * literal backtick is left; the rest stays text.
 */
export function richText(text, words) {
  const out = [];
  const fenced = text.replace(/^[ \t]*\$ (.+)$/gm, '```\n$1\n```').replace(/^`([^`\n]+)`$/gm, '```\n$1\n```');
  const parts = fenced.split(/```[a-z]*\n?/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      out.push(codeBlock(part.replace(/\n$/, ''), words));
      return;
    }
    // A block takes its own lines: the line breaks around it are not text.
    if (i > 0) part = part.replace(/^\n/, '');
    part.split(/(`[^`\n]+`)/).forEach((piece) => {
      if (piece.startsWith('`') && piece.endsWith('`') && piece.length > 1) {
        const code = document.createElement('code');
        code.textContent = piece.slice(1, -1);
        out.push(code);
      } else if (piece) out.push(document.createTextNode(piece));
    });
  });
  return out;
}

export function createChatPane({ api, log, form, line, onOpenRequest }) {
  let person = '';
  let cursor = 0;
  let generation = 0;
  let words = null;
  // Lines said in this page: the request one of them opens is shown at once.
  const saidHere = new Set();
  // States of requests the page knows, so a card of a decided request closes.
  const known = new Map();

  function render(content, cls, meta, requestId) {
    const div = document.createElement('div');
    div.className = `msg ${cls}`;
    const m = document.createElement('div');
    m.className = 'meta';
    m.append(meta);
    if (requestId) {
      const open = document.createElement('button');
      open.type = 'button';
      open.textContent = words.open(requestId);
      open.title = requestId;
      open.onclick = () => onOpenRequest(requestId, true);
      m.append(' ', open);
    }
    div.append(m, ...(typeof content === 'string' ? [document.createTextNode(content)] : content));
    log.append(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  const shownLines = new Set();
  function renderMine(messageId, text) {
    const div = render(text, 'me', person);
    if (messageId) {
      shownLines.add(messageId);
      div.dataset.messageId = messageId;
    }
    return div;
  }

  async function say(text) {
    const div = renderMine(null, text);
    try {
      const body = await api.call('/api/say', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as: person, text }),
      });
      shownLines.add(body.messageId);
      saidHere.add(body.messageId);
      div.dataset.messageId = body.messageId;
      keepLine(person, body.messageId, text);
    } catch (error) {
      render(error.message, 'error', 'console');
    }
  }

  function actionsFor(message) {
    const row = document.createElement('div');
    row.className = 'actions';
    row.dataset.request = message.requestId ?? '';
    for (const action of message.actions ?? []) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = action.id === 'deny' ? '' : 'primary';
      b.textContent = words.actions[action.id] ?? action.id;
      b.setAttribute('aria-label', `${b.textContent} ${action.requestId}`);
      // A drift report's Repair stays pressable while the grant rests: it is no decision.
      if (action.id === 'repair') row.dataset.lasting = 'true';
      b.onclick = () => {
        // Deny needs a reason: the request view asks for it in place.
        if (action.id === 'deny') return onOpenRequest(action.requestId, true, 'deny');
        void say(`${action.id} ${action.requestId}`);
      };
      row.append(b);
    }
    return row;
  }

  /** Closes the cards of requests no longer waiting for a decision. */
  function settleCards() {
    for (const row of log.querySelectorAll('.actions[data-request]')) {
      const request = known.get(row.dataset.request);
      if (!request || request.phase === 'waiting' || row.dataset.settled || row.dataset.lasting) continue;
      row.dataset.settled = 'true';
      for (const b of row.querySelectorAll('button')) b.disabled = true;
      const note = document.createElement('span');
      note.className = 'decided';
      note.title = request.state;
      // The decision, not where the request is now: only these ends are not an approval.
      const ended = ['denied', 'cancelled', 'expired'].includes(request.state);
      note.textContent = words.decided(ended ? stateName(words, request.state) : words.approved);
      row.append(note);
    }
  }

  async function poll(gen) {
    const lines = new Map(readLines(person).map((l) => [l.messageId, l.text]));
    while (gen === generation) {
      try {
        const body = await api.call(
          `/api/messages?as=${encodeURIComponent(person)}&after=${cursor}&wait=20000`,
        );
        if (gen !== generation) return;
        for (const m of body.messages) {
          // The person's own line first, as they said it, when this browser kept it.
          if (m.inReplyTo && !shownLines.has(m.inReplyTo) && lines.has(m.inReplyTo))
            renderMine(m.inReplyTo, lines.get(m.inReplyTo));
          const meta = `sgops · ${m.kind}${m.state ? ` · ${stateName(words, m.state)}` : ''}`;
          // A result that ended badly (needs attention, failed) is not drawn like a success.
          const tone = m.kind === 'result' && m.phase === 'failed' ? `${m.kind} failed` : m.kind;
          const div = render(richText(m.text, words), tone, meta, m.requestId);
          if (m.inReplyTo) div.dataset.inReplyTo = m.inReplyTo;
          if (m.actions?.length) div.append(actionsFor(m));
          const path = explainPathView(m.facts, words);
          if (path) div.append(path);
          if (m.offers?.length) div.append(offerButtons(m.offers, words, say));
          // What was added under the text is part of the message: keep its end in view.
          log.scrollTop = log.scrollHeight;
          if (m.requestId && saidHere.has(m.inReplyTo)) {
            saidHere.delete(m.inReplyTo);
            onOpenRequest(m.requestId, false);
          }
        }
        cursor = body.cursor;
        settleCards();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  form.onsubmit = (e) => {
    e.preventDefault();
    const text = line.value.trim();
    if (!text) return;
    line.value = '';
    void say(text);
  };

  return {
    /** Shows `id`'s conversation from its start, in `next` words. */
    switchTo(id, next) {
      person = id;
      words = next;
      cursor = 0;
      log.textContent = '';
      shownLines.clear();
      generation += 1;
      void poll(generation);
    },
    /** Says a line as the current person (the request view's actions). */
    say,
    /** The requests the page knows now: cards of those decided close. */
    know(requests) {
      for (const r of requests) known.set(r.id, r);
      settleCards();
    },
    stop() {
      generation += 1;
    },
  };
}
