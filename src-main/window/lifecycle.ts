// App-level events, registered right after the single-instance lock and before anything
// loads: a second launch (or a release-board:// link) that arrives during start-up must not be
// dropped, and closing the last window must quit even while services are still starting.
import { deepLinkInArgs, parseDeepLink, type DeepLinkTarget } from './deep-link';

// Each app event has its own listener arguments (Electron types them per event); this narrow
// interface takes them all, so Electron's app and a test's EventEmitter both fit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export interface LifecycleApp {
  on(event: 'second-instance' | 'activate' | 'window-all-closed' | 'open-url', listener: Listener): unknown;
  quit(): void;
}

export interface LifecycleOptions {
  platform: NodeJS.Platform;
  onBlockedLink?: (raw: string) => void;
}

export interface Lifecycle {
  /** Called once the main window exists: focuses it now and for every later launch or link. */
  attachWindow(window: { show(): void; recreate(): void; count(): number }): void;
  /** Called once the board can take a focus request: delivers links that came in before. */
  attachLinks(open: (target: DeepLinkTarget) => void): void;
  /** A link from this process's own command line (the first launch on Windows and Linux). */
  handleArgs(argv: readonly string[]): void;
}

export function registerAppLifecycle(app: LifecycleApp, options: LifecycleOptions): Lifecycle {
  let window: { show(): void; recreate(): void; count(): number } | undefined;
  let showRequested = false;
  let openLink: ((target: DeepLinkTarget) => void) | undefined;
  const pendingLinks: DeepLinkTarget[] = [];

  const show = () => {
    if (window) window.show();
    else showRequested = true;
  };
  const link = (raw: string) => {
    const target = parseDeepLink(raw);
    if (!target) return options.onBlockedLink?.(raw);
    if (openLink) openLink(target);
    else pendingLinks.push(target);
  };
  const handleArgs = (argv: readonly string[]) => {
    const raw = deepLinkInArgs(argv);
    if (raw) link(raw);
  };

  app.on('second-instance', (_event: unknown, argv: string[]) => {
    show();
    handleArgs(argv);
  });
  // macOS delivers links as open-url (also before ready, for the launch a link caused).
  app.on('open-url', (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    show();
    link(url);
  });
  app.on('activate', () => {
    if (window && window.count() === 0) window.recreate();
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  return {
    attachWindow(w) {
      window = w;
      if (showRequested) w.show();
      showRequested = false;
    },
    attachLinks(open) {
      openLink = open;
      for (const target of pendingLinks.splice(0)) open(target);
    },
    handleArgs,
  };
}
