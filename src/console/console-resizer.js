/* global localStorage, window */
// The chat pane's width: dragged by the handle beside it (or moved with the arrow keys) and
// remembered in this browser. Only wide screens have the handle; phones stack the panes.

const widthKey = 'sgops.console.chatWidth';
const min = 300;

export function makeResizable({ layout, handle }) {
  const max = () => Math.max(min, window.innerWidth - 480);
  const set = (px) => {
    const width = Math.round(Math.min(Math.max(px, min), max()));
    layout.style.setProperty('--chat-width', `${width}px`);
    handle.setAttribute('aria-valuenow', String(width));
    return width;
  };
  const saved = Number(localStorage.getItem(widthKey));
  if (saved) set(saved);
  const keep = (width) => localStorage.setItem(widthKey, String(width));

  handle.onpointerdown = (down) => {
    down.preventDefault();
    handle.setPointerCapture(down.pointerId);
    const left = layout.getBoundingClientRect().left;
    handle.onpointermove = (move) => set(move.clientX - left);
    handle.onpointerup = (up) => {
      handle.onpointermove = null;
      handle.onpointerup = null;
      keep(set(up.clientX - left));
    };
  };
  handle.onkeydown = (e) => {
    const step = e.key === 'ArrowLeft' ? -40 : e.key === 'ArrowRight' ? 40 : 0;
    if (!step) return;
    e.preventDefault();
    const chat = layout.querySelector('.chat').getBoundingClientRect().width;
    keep(set(chat + step));
  };
}
