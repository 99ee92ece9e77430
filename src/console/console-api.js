/* global fetch, sessionStorage, TextDecoder, setTimeout */
// The console's calls to the bot: the access token (kept for this tab only) goes on every one,
// and a 401 anywhere sends the person back to the token form.

const tokenKey = 'sgops.console.token';

export class Unauthorized extends Error {}

export function createApi({ onUnauthorized }) {
  const headers = (extra = {}) => {
    const token = sessionStorage.getItem(tokenKey);
    return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
  };

  async function call(path, init = {}) {
    const res = await fetch(path, { ...init, headers: headers(init.headers) });
    if (res.status === 401) {
      onUnauthorized();
      throw new Unauthorized((await res.json().catch(() => ({}))).error ?? 'unauthorized');
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
    return body;
  }

  /**
   * Reads a Server-Sent Events stream with fetch (EventSource cannot send the token header) and
   * hands each event to `onEvent`; reconnects until `signal` aborts.
   */
  async function stream(path, { onEvent, onOpen, onDrop, signal }) {
    while (!signal.aborted) {
      try {
        const res = await fetch(path, { headers: headers({ accept: 'text/event-stream' }), signal });
        if (res.status === 401) {
          onUnauthorized();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`${res.status}`);
        onOpen();
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length > 0) onEvent(event, JSON.parse(data.join('\n')));
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      onDrop();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  return {
    call,
    stream,
    hasToken: () => sessionStorage.getItem(tokenKey) !== null,
    setToken: (token) => sessionStorage.setItem(tokenKey, token),
    clearToken: () => sessionStorage.removeItem(tokenKey),
  };
}
