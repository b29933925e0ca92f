// `npm run sandbox -- --seed demo --ready-file F [--dir D] [--flux-delay-ms N] [--now ISO-TIME]`
// Starts the whole sandbox, prints ONE JSON object (kubeconfig path, clusters, forge URLs,
// users and token values for tests) to stdout and, if asked, to the ready file, then runs
// until SIGINT/SIGTERM and cleans up. Scripts wait for the ready file rather than parsing logs.
// The ready file holds sandbox-only credentials; it is written 0600 and removed on exit.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clockStartingAt } from './clock';
import { startSandbox } from './index';

const USAGE = 'usage: tsx test/sandbox/cli.ts --seed <demo|empty|scale:N[:FILES]> [--ready-file F] [--dir D] [--flux-delay-ms N] [--now ISO-TIME]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        seed: { type: 'string', default: 'demo' },
        'ready-file': { type: 'string' },
        dir: { type: 'string' },
        'flux-delay-ms': { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const delay = args['flux-delay-ms'];
  const fluxDelayMs = delay === undefined ? undefined : Number(delay);
  if (fluxDelayMs !== undefined && (!Number.isFinite(fluxDelayMs) || fluxDelayMs < 0)) fail(`--flux-delay-ms must be a non-negative number, got ${delay}`);

  // --now runs the whole sandbox (seed dates, token expiry, timestamps) as if it were that time
  const startAt = args.now === undefined ? undefined : new Date(args.now);
  if (startAt && Number.isNaN(startAt.getTime())) fail(`--now must be an ISO date-time, got ${args.now}`);

  const sandbox = await startSandbox({
    seed: args.seed ?? 'demo',
    ...(args.dir ? { dir: path.resolve(args.dir) } : {}),
    ...(fluxDelayMs !== undefined ? { fluxDelayMs } : {}),
    ...(startAt ? { now: clockStartingAt(startAt) } : {}),
  });
  const readyFile = args['ready-file'] ? path.resolve(args['ready-file']) : undefined;
  const json = JSON.stringify(sandbox.info);
  if (readyFile) {
    // write-then-rename so a watcher never reads half a file
    const partial = `${readyFile}.partial`;
    writeFileSync(partial, `${json}\n`, { mode: 0o600 });
    renameSync(partial, readyFile);
  }
  process.stdout.write(`${json}\n`);

  sandbox.flux.onEvent((e) =>
    process.stderr.write(`[flux] ${e.outcome} ${e.target.cluster}/${e.target.namespace}/${e.target.kind}/${e.target.name} ${e.version}${e.reason ? ` (${e.reason})` : ''}\n`),
  );
  sandbox.flux.onSkip((s) => process.stderr.write(`[flux] skipped ${s.change.namespace}:${s.change.name}:${s.change.env} → ${s.change.to}: ${s.reason}\n`));

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stderr.write(`[sandbox] ${signal}: stopping\n`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    void sandbox
      .stop()
      .catch((error: unknown) => process.stderr.write(`[sandbox] stop failed: ${String(error)}\n`))
      .finally(() => {
        if (readyFile) rmSync(readyFile, { force: true });
        process.exit(0);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`[sandbox] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
