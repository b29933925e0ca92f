// Runs in the preview page before the app: provides window.releaseBoard over HTTP,
// carrying the same contract as the Electron preload. Authentication: the per-run secret in
// this page's own URL (?k=), sent in a header on every call — never a cookie, which other
// local pages would receive too. Events arrive as a server-sent-event stream read with
// fetch (EventSource cannot send headers).
import type { ReleaseBoardBridge } from '../../src-main/common/ipc-contract';

type Listener = (payload: unknown) => void;
const SECRET_HEADER = 'x-release-board-preview';
const secret = new URLSearchParams(location.search).get('k') ?? '';
const listeners = new Map<string, Set<Listener>>();
let streaming = false;

function dispatchEvent(data: string): void {
  const { channel, payload } = JSON.parse(data) as { channel: string; payload: unknown };
  for (const listener of listeners.get(channel) ?? []) listener(payload);
}

async function readEvents(): Promise<void> {
  const response = await fetch('/__preview/events', { headers: { [SECRET_HEADER]: secret }, credentials: 'omit' });
  if (!response.ok || !response.body) throw new Error(`preview events answered HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data) dispatchEvent(data);
    }
  }
}

function ensureEvents(): void {
  if (streaming) return;
  streaming = true;
  // Reconnect after a dropped stream, as EventSource would.
  const run = (): void => {
    readEvents()
      .catch(() => undefined)
      .finally(() => setTimeout(run, 1000));
  };
  run();
}

const previewBridge: ReleaseBoardBridge = {
  async request(channel, payload) {
    const response = await fetch('/__preview/request', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
      body: JSON.stringify({ channel, payload: payload === undefined ? null : payload, undefinedPayload: payload === undefined }),
      credentials: 'omit',
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
