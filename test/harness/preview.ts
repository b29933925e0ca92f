// `npm run preview -- [--port N] [--ready-file F] [--flux-delay-ms N] (--seed NAME | --use-my-kubeconfig)`: the UI in
// a browser, driven by the same main-process services as the desktop app. Prints (and writes to
// the ready file, mode 0600, removed on exit) one JSON object {"url": ...} when ready; runs until
// SIGINT/SIGTERM. The URL carries this run's secret: whoever has it can drive main, so without
// --seed it refuses to serve the user's own clusters unless asked to explicitly.
import { rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src-main/log/logger';
import { createMainServices } from '../../src-main/services';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { createExternalBrowserHook, sandboxForgeHostsEnv } from './external-browser';
import { previewAppInfo, startPreviewServer } from './preview-server';

const USAGE = 'usage: npm run preview -- (--seed <demo|empty|scale:N> | --use-my-kubeconfig) [--port N] [--ready-file F] [--flux-delay-ms N]';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'ready-file': { type: 'string' },
    seed: { type: 'string' },
    // how long the sandbox's Flux takes per step after a merge (reconciling, then Ready): long enough to watch a rollout
    'flux-delay-ms': { type: 'string' },
    'use-my-kubeconfig': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

async function main() {
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logger = createLogger({ level: 'info' });
  // With --seed the services read the sandbox exactly as the desktop app reads a real
  // cluster: through KUBECONFIG. Without it they use the user's own kubeconfig.
  let sandbox: Sandbox | undefined;
  if (!values.seed && !values['use-my-kubeconfig']) {
    console.error(`preview: give --seed demo (a local sandbox) or, to show your own clusters in a browser page, --use-my-kubeconfig.\n${USAGE}`);
    process.exit(2);
  }
  const delay = values['flux-delay-ms'];
  const fluxDelayMs = delay === undefined ? undefined : Number(delay);
  if (fluxDelayMs !== undefined && (!Number.isInteger(fluxDelayMs) || fluxDelayMs < 0)) {
    console.error(`preview: --flux-delay-ms must be a whole number of milliseconds (0 or more), got ${delay}.\n${USAGE}`);
    process.exit(2);
  }
  if (fluxDelayMs !== undefined && !values.seed) {
    console.error(`preview: --flux-delay-ms applies to the sandbox's simulated Flux: give --seed too.\n${USAGE}`);
    process.exit(2);
  }
  if (values.seed) {
    sandbox = await startSandbox({ seed: values.seed, ...(fluxDelayMs !== undefined ? { fluxDelayMs } : {}) });
    process.env['KUBECONFIG'] = sandbox.kubeconfig;
    process.env['RELEASE_BOARD_FORGE_HOSTS'] = sandboxForgeHostsEnv(sandbox.info);
  }
  // No system browser here: a sign-in URL is printed for the person reviewing the preview.
  const browser = createExternalBrowserHook((url) => process.stderr.write(`preview: the app asked the system browser to open ${url}\n`));
  const services = await createMainServices({
    logger,
    appInfo: await previewAppInfo(),
    openExternal: (url) => browser.open(url),
  });
  const server = await startPreviewServer({ services, port: Number(values.port) });
  const ready = { ...(sandbox ? sandbox.info : {}), url: server.url };
  const line = JSON.stringify(ready);
  const readyFile = values['ready-file'];
  // Ready to stop before announcing readiness: a caller may signal as soon as it reads the line.
  const stop = async () => {
    try {
      if (readyFile) await rm(readyFile, { force: true });
      await server.close();
      await services.stop();
      await sandbox?.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (readyFile) await writeFile(readyFile, line, { mode: 0o600 });
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  console.error(`preview failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
