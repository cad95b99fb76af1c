import { AppEvent, type EventListener, type IpcResult, type OperationName, type Transport } from '../../shared/ipc-contract';

const TOKEN_KEY = 'alog.sessionToken';

/**
 * The browser host's per-run token: taken from the page address once (`?token=`), kept in this
 * tab's sessionStorage so a reload still works, and removed from the address bar and history.
 */
export function takeSessionToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage disabled: the token lives in memory only, so a reload needs the printed address.
    }
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

const failure = (message: string): IpcResult<never> => ({ ok: false, error: { code: 'refused', message } });

const EXPIRED =
  'This page has no valid access token (the server was restarted, or the address lacked it). Open the address that `alog serve` printed.';

/** The contract over the browser host's HTTP API: POST /api/<operation>, events by SSE. */
export function httpTransport(token: string | null): Transport {
  const listeners = new Set<EventListener>();
  let source: EventSource | undefined;

  const openStream = () => {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token ?? '')}`);
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      const event = AppEvent.safeParse(data);
      if (!event.success) return;
      for (const listener of listeners) listener(event.data);
    };
  };

  return {
    async invoke(name: OperationName, input: unknown): Promise<unknown> {
      let response: Response;
      try {
        response = await fetch(`/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch {
        return failure('The inspector server cannot be reached. Is `alog serve` still running?');
      }
      if (response.status === 401) return failure(EXPIRED);
      if (!response.headers.get('content-type')?.startsWith('application/json')) {
        return failure(`The server answered ${response.status} ${response.statusText}.`);
      }
      return response.json();
    },
    subscribe(listener: EventListener) {
      listeners.add(listener);
      if (!source) openStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = undefined;
        }
      };
    },
  };
}
