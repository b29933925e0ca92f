// Runs in the preview page before the app: provides window.releaseBoard over HTTP + SSE,
// carrying the same contract as the Electron preload. Authentication is the HttpOnly
// cookie the harness set when the page was opened with its per-run secret.
import type { ReleaseBoardBridge } from '../../src-main/common/ipc-contract';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
let source: EventSource | null = null;

function ensureEvents(): void {
  if (source) return;
  source = new EventSource('/__preview/events');
  source.onmessage = (message) => {
    const { channel, payload } = JSON.parse(message.data as string) as { channel: string; payload: unknown };
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  };
}

const previewBridge: ReleaseBoardBridge = {
  async request(channel, payload) {
    const response = await fetch('/__preview/request', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, payload: payload === undefined ? null : payload, undefinedPayload: payload === undefined }),
      credentials: 'same-origin',
    });
    if (!response.ok) return { ok: false, error: { code: 'preview-bridge', message: `Preview bridge answered HTTP ${response.status}` } };
    return (await response.json()) as never;
  },
  on(channel, listener) {
    ensureEvents();
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  },
};

Object.defineProperty(window, 'releaseBoard', { value: Object.freeze(previewBridge), writable: false, configurable: false });
