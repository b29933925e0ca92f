// `tsx test/harness/forge-hosts-env.ts READY_FILE`: prints the RELEASE_BOARD_FORGE_HOSTS value
// for a running sandbox (from its ready file), so `npm run demo` can sign in to its forges.
import { readFileSync } from 'node:fs';
import { sandboxForgeHostsEnv } from './external-browser';

const readyFile = process.argv[2];
if (!readyFile) {
  console.error('usage: forge-hosts-env.ts READY_FILE');
  process.exit(2);
}
process.stdout.write(sandboxForgeHostsEnv(JSON.parse(readFileSync(readyFile, 'utf8')) as Parameters<typeof sandboxForgeHostsEnv>[0], { expiringTokens: true }));
