/* global document, prompt, setTimeout */
// The chat pane: say lines as the chosen person and read the bot's answers, long-polling
// /api/messages. Approval cards get Approve and Deny buttons; request ids open the request.

export function createChatPane({ api, log, form, line, onOpenRequest }) {
  let person = '';
  let cursor = 0;
  let generation = 0;

  function render(text, cls, meta, requestId) {
    const div = document.createElement('div');
    div.className = `msg ${cls}`;
    const m = document.createElement('div');
    m.className = 'meta';
    m.append(meta);
    if (requestId) {
      const open = document.createElement('button');
      open.type = 'button';
      open.textContent = `open ${requestId}`;
      open.title = `Show request ${requestId} beside the chat`;
      open.onclick = () => onOpenRequest(requestId);
      m.append(' ', open);
    }
    div.append(m, document.createTextNode(text));
    log.append(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  async function say(text) {
    render(text, 'me', person);
    try {
      await api.call('/api/say', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as: person, text }),
      });
    } catch (error) {
      render(error.message, 'error', 'console');
    }
  }

  function actionsFor(message) {
    const row = document.createElement('div');
    row.className = 'actions';
    for (const action of message.actions ?? []) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = action.id === 'approve' ? 'primary' : '';
      b.textContent = action.id === 'approve' ? 'Approve' : 'Deny';
      b.setAttribute('aria-label', `${b.textContent} ${action.requestId}`);
      b.onclick = () => {
        const reason = action.id === 'deny' ? prompt('Reason for denying?') : '';
        if (action.id === 'deny' && !reason) return;
        void say(
          action.id === 'approve' ? `approve ${action.requestId}` : `deny ${action.requestId} ${reason}`,
        );
      };
      row.append(b);
    }
    return row;
  }

  async function poll(gen) {
    while (gen === generation) {
      try {
        const body = await api.call(
          `/api/messages?as=${encodeURIComponent(person)}&after=${cursor}&wait=20000`,
        );
        if (gen !== generation) return;
        for (const m of body.messages) {
          const meta = `sgops · ${m.kind}${m.state ? ` · ${m.state}` : ''}`;
          const div = render(m.text, m.kind, meta, m.requestId);
          if (m.actions?.length) div.append(actionsFor(m));
        }
        cursor = body.cursor;
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
    /** Shows `id`'s conversation from its start. */
    switchTo(id) {
      person = id;
      cursor = 0;
      log.textContent = '';
      generation += 1;
      void poll(generation);
    },
    stop() {
      generation += 1;
    },
  };
}
