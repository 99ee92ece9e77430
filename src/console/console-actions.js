/* global document */
// The request view's actions: a button for each thing the viewing person may do now (the bot
// says which). A button says the chat line that does it, as that person, so the chat's own
// checks decide — the console never allows more than the chat. Deny asks for its reason, and
// revoke and rollback for a second click, in place. The bar is rebuilt only when the request's
// state or its actions change, so a live update never wipes a reason being typed.

/**
 * @param container the element the bar lives in
 * @param say sends a chat line as the chosen person; resolves once it is taken
 * @param words the page's words in the reader's language
 */
export function createActionsBar({ container, say, words: initial }) {
  let key = '';
  let words = initial;

  function button(text, cls, onclick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    b.onclick = onclick;
    return b;
  }

  /** Every button goes quiet once a line is sent: the next update of the request shows what follows. */
  async function send(line) {
    for (const b of container.querySelectorAll('button, input')) b.disabled = true;
    const note = container.querySelector('.sent') ?? document.createElement('p');
    note.className = 'sent';
    note.textContent = `${words.sent}: ${line}`;
    container.append(note);
    await say(line);
  }

  function confirmStep(action, question) {
    const box = document.createElement('div');
    box.className = 'confirm';
    box.dataset.action = action.id;
    box.append(
      document.createTextNode(question),
      button(words.actions[action.id], 'danger', () => void send(action.line)),
      button(words.back, '', () => {
        key = '';
        render(lastDetail);
      }),
    );
    return box;
  }

  function denyStep(action) {
    const box = document.createElement('form');
    box.className = 'confirm';
    box.dataset.action = 'deny';
    const reason = document.createElement('input');
    reason.placeholder = words.denyReason;
    reason.setAttribute('aria-label', words.denyReason);
    reason.required = true;
    const submit = button(words.actions.deny, 'danger', null);
    submit.type = 'submit';
    box.onsubmit = (e) => {
      e.preventDefault();
      const why = reason.value.trim();
      if (why) void send(`${action.line} ${why}`);
    };
    box.append(
      reason,
      submit,
      button(words.back, '', () => {
        key = '';
        render(lastDetail);
      }),
    );
    queueFocus(reason);
    return box;
  }

  let lastDetail = null;
  // An action asked for elsewhere (a chat card's Deny), opened once the request shows it.
  let wanted = null;
  function render(detail) {
    lastDetail = detail;
    const actions = detail.actions ?? [];
    const next = `${detail.request.id}|${detail.state}|${actions.map((a) => a.id).join(',')}`;
    if (next === key) return;
    key = next;
    container.hidden = actions.length === 0;
    container.dataset.request = detail.request.id;
    const row = document.createElement('div');
    row.className = 'buttons';
    for (const action of actions) {
      const b = button(
        words.actions[action.id] ?? action.id,
        action.id === 'approve' ? 'primary' : action.id === 'deny' || action.id === 'revoke' ? 'danger' : '',
        () => {
          if (action.id === 'deny') row.replaceWith(denyStep(action));
          else if (action.id === 'revoke' || action.id === 'rollback')
            row.replaceWith(confirmStep(action, words.confirm[action.id]));
          else void send(action.line);
        },
      );
      b.dataset.action = action.id;
      b.title = action.line;
      b.setAttribute('aria-label', `${words.actions[action.id] ?? action.id} ${detail.request.id}`);
      row.append(b);
    }
    container.replaceChildren(row);
    if (wanted?.request === detail.request.id) {
      row.querySelector(`button[data-action="${wanted.action}"]`)?.click();
      wanted = null;
    }
  }

  return {
    update: render,
    /** Opens `action`'s step (a deny's reason) once request `id` is shown with it. */
    want(id, action) {
      wanted = { request: id, action };
      key = '';
      if (lastDetail?.request.id === id) render(lastDetail);
    },
    speak(next) {
      words = next;
      key = '';
      if (lastDetail) render(lastDetail);
    },
    clear() {
      lastDetail = null;
      key = '';
      container.hidden = true;
      container.replaceChildren();
    },
  };
}

function queueFocus(input) {
  // Focused once it is in the page.
  Promise.resolve().then(() => input.focus());
}
