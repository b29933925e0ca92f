// authenticate(): exec credential plugins that hang, answer slowly or fail, run as real
// processes (tiny shell scripts) with shortened timeouts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeRequestError } from './errors';
import { authenticate } from './kube-transport';
import { waitFor } from './test-helpers';

let dir: string;
const pids: number[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-exec-plugin-'));
});

afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A plugin script that records each start (its pid) in `<name>.spawns`, then runs `body`. */
function plugin(name: string, body: string): { command: string; spawns: () => number[] } {
  const command = path.join(dir, name);
  const log = `${command}.spawns`;
  fs.writeFileSync(command, `#!/bin/sh\necho $$ >> '${log}'\n${body}\n`);
  fs.chmodSync(command, 0o755);
  return {
    command,
    spawns: () => {
      const found = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : [];
      for (const pid of found) if (!pids.includes(pid)) pids.push(pid);
      return found;
    },
  };
}

function kubeconfig(command: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: false }],
    users: [{ name: 'u', exec: { apiVersion: 'client.authentication.k8s.io/v1', command } }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rejection(p: Promise<unknown>): Promise<KubeRequestError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubeRequestError);
  return error as KubeRequestError;
}

const CREDENTIAL = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 't0ken' } });

describe('authenticate with an exec credential plugin', () => {
  it('reports a hanging plugin after slowMs, shares one run, then gives up after timeoutMs and kills it', async () => {
    const p = plugin('hang', 'exec sleep 60');
    const kc = kubeconfig(p.command);
    const timeouts = { slowMs: 600, timeoutMs: 2_000 };
    const [a, b] = await Promise.all([rejection(authenticate(kc, timeouts)), rejection(authenticate(kc, timeouts))]);
    for (const e of [a, b]) {
      expect(e.kind).toBe('exec-plugin-pending');
      expect(e.message).toBe(`Waiting for the credential plugin "${p.command}" for 1 s — it may be waiting for you to sign in in a browser or terminal`);
    }
    expect(p.spawns()).toHaveLength(1);
    const [pid] = p.spawns();
    expect(alive(pid!)).toBe(true);

    // A retry joins the same run and waits for it until timeoutMs.
    const late = await rejection(authenticate(kc, timeouts));
    expect(late.kind).toBe('exec-plugin-failed');
    expect(late.message).toBe(`Credential plugin "${p.command}" did not answer within 2 s`);
    expect(p.spawns()).toHaveLength(1);
    await waitFor(() => !alive(pid!), 'the timed-out plugin to be killed', 5_000);

    // The next attempt runs the plugin again.
    const again = await rejection(authenticate(kc, timeouts));
    expect(again.kind).toBe('exec-plugin-pending');
    expect(p.spawns()).toHaveLength(2);
  });

  it('lets a retry pick up the answer of a slow (interactive) plugin without starting another', async () => {
    const p = plugin('slow', `sleep 1\nprintf '%s' '${CREDENTIAL}'`);
    const kc = kubeconfig(p.command);
    const timeouts = { slowMs: 300, timeoutMs: 30_000 };
    expect((await rejection(authenticate(kc, timeouts))).kind).toBe('exec-plugin-pending');
    await expect(authenticate(kc, timeouts)).resolves.toBeUndefined();
    await expect(authenticate(kc, timeouts)).resolves.toBeUndefined(); // client-node's token cache
    expect(p.spawns()).toHaveLength(1);
    const opts: { headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(opts);
    expect(opts.headers?.Authorization).toBe('Bearer t0ken');
  });

  it('reports a failing plugin with its message', async () => {
    const p = plugin('fails', 'echo "error: sso session expired" >&2\nexit 1');
    const e = await rejection(authenticate(kubeconfig(p.command), { slowMs: 5_000, timeoutMs: 10_000 }));
    expect(e.kind).toBe('exec-plugin-failed');
    expect(e.message).toContain('sso session expired');
  });
});
