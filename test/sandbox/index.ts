// The sandbox in one call: one Kubernetes API server per seed cluster, the forge, the seed
// loaded into both, kubeconfigs on disk and the Flux simulator closing the loop. Tests, the
// CLI (`npm run sandbox`), the demo and the benchmarks all start it the same way.
//
//   const sandbox = await startSandbox({ seed: 'demo' });
//   // sandbox.kubeconfig, sandbox.forge.apiUrl, sandbox.users.tokens.releaseManager, ...
//   await sandbox.stop();
//
// Seeds need the servers' URLs and CAs, and the servers need the seed's users, so the seed is
// built twice: once against placeholder addresses to learn its clusters and users, and once
// for real. Seed builders are pure, which makes that safe.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemNow, type Now } from './clock';
import { realClock, startFluxSimulator, type Clock, type CommitSource, type FluxSimulator } from './flux/simulator';
import { startForge, type Forge } from './forge/index';
import { startGitLabForge, type GitLabForge } from './gitlab/index';
import { startKubeApiServer, writeKubeconfig, type ExtraServedVersion, type KubeApiServer, type KubeconfigEntry } from './kube/index';
import { resolveSeed } from './seeds/index';
import type { KubeObject, Seed, SeedBuilder, SeedContext, SeedGitLabOAuthApp, SeedOAuthApp } from './seeds/types';

export interface StartSandboxOptions {
  /** a seed name ('demo', 'empty', 'scale:N', 'scale:N:FILES') or a builder */
  seed: string | SeedBuilder;
  /** where kubeconfigs go; default: a fresh temp dir, removed by stop() */
  dir?: string;
  /** Flux simulator step delay (default 300 ms) */
  fluxDelayMs?: number;
  /**
   * The Flux simulator's clock and timers (default: real timers on `now`). A test passes a
   * manualClock to step a rollout (reconciling, then Ready) exactly when it wants.
   */
  fluxClock?: Clock;
  /** directory of CRD YAML files (default: sandboxCrdDir()) */
  crdDir?: string;
  /**
   * The sandbox's clock (default: the system clock). The seed's dates, token expiry on both
   * forges, object timestamps and the Flux simulator's deploy times all read it.
   */
  now?: Now;
  /** older, deprecated API versions every cluster also serves (e.g. FLUX_DEPRECATED_VERSIONS) */
  extraServedVersions?: readonly ExtraServedVersion[];
}

export interface SandboxCluster {
  name: string;
  server: string;
  /** admin context in `kubeconfig` (same name as the cluster) */
  context: string;
  /** viewer context in `kubeconfig`; `viewerKubeconfig` uses plain cluster names instead */
  viewerContext: string;
  management: boolean;
  api: KubeApiServer;
}

/** Everything a test or a developer needs, JSON-safe (no server objects). */
export interface SandboxInfo {
  seed: string;
  dir: string;
  kubeconfig: string;
  /** same clusters and context names, authenticated as the `viewer` user (no Secrets) */
  viewerKubeconfig: string;
  managementCluster: string;
  clusters: { name: string; server: string; context: string; viewerContext: string; management: boolean }[];
  forge: { url: string; apiUrl: string };
  /** present when the seed has a GitLab part */
  gitlab?: { url: string; apiUrl: string };
  users: {
    signIn: { login: string };
    oauthApps: Pick<SeedOAuthApp, 'name' | 'clientId' | 'clientSecret' | 'expiringTokens' | 'callbackPath'>[];
    /** forge token values by case label ('classic', 'expired', 'releaseManager', ...) */
    tokens: Record<string, string>;
    /** Kubernetes bearer tokens by user, then cluster */
    kube: Record<string, Record<string, string>>;
    /** GitLab sign-in user, OAuth applications and labelled token values (seeds with a GitLab part) */
    gitlab?: {
      signIn: { username: string };
      oauthApps: Pick<SeedGitLabOAuthApp, 'name' | 'clientId' | 'confidential' | 'redirectUris' | 'scopes'>[];
      tokens: Record<string, string>;
    };
  };
}

export interface Sandbox {
  kubeconfig: string;
  viewerKubeconfig: string;
  clusters: SandboxCluster[];
  forge: { url: string; apiUrl: string; server: Forge };
  gitlab?: { url: string; apiUrl: string; server: GitLabForge };
  users: SandboxInfo['users'];
  flux: FluxSimulator;
  seed: Seed;
  info: SandboxInfo;
  cluster(name: string): SandboxCluster;
  stop(): Promise<void>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the CRDs live: $RELEASE_BOARD_CRD_DIR (an override for trying other upstream versions),
 * else the project's own copies in test/sandbox/crds. Nothing outside the repository is read.
 */
export function sandboxCrdDir(): string {
  const candidates = [process.env.RELEASE_BOARD_CRD_DIR, path.join(HERE, 'crds')];
  for (const dir of candidates) if (dir && existsSync(dir)) return dir;
  throw new Error(`no CRD directory found (tried ${candidates.filter(Boolean).join(', ')}); set RELEASE_BOARD_CRD_DIR`);
}

function seedName(seed: StartSandboxOptions['seed'], built: Seed): string {
  return typeof seed === 'string' ? seed : built.name;
}

/** Any cluster name resolves, so a builder can run before the servers exist. */
function placeholderContext(now: Now): SeedContext {
  const clusters = new Proxy({} as SeedContext['clusters'], {
    get: (_target, name) => (typeof name === 'string' ? { server: 'https://127.0.0.1:1', caData: '' } : undefined),
    has: () => true,
  });
  return { clusters, forge: { url: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1/api/v3' }, gitlab: { url: 'http://127.0.0.1:2', apiUrl: 'http://127.0.0.1:2/api/v4' }, now };
}

/** Namespaces first, so a store that checks namespaces accepts what follows. */
function loadOrder(objects: KubeObject[]): KubeObject[] {
  return [...objects.filter((o) => o.kind === 'Namespace'), ...objects.filter((o) => o.kind !== 'Namespace')];
}

export async function startSandbox(options: StartSandboxOptions): Promise<Sandbox> {
  const builder = typeof options.seed === 'string' ? resolveSeed(options.seed) : options.seed;
  const crdDir = options.crdDir ?? sandboxCrdDir();
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'release-board-sandbox-'));
  mkdirSync(dir, { recursive: true });

  const now = options.now ?? systemNow;
  const draft = builder(placeholderContext(now));
  const started: KubeApiServer[] = [];
  let forge: Forge | undefined;
  let gitlab: GitLabForge | undefined;
  let flux: FluxSimulator | undefined;
  const closeAll = async () => {
    flux?.stop();
    await Promise.allSettled([...started.map((s) => s.close()), forge?.close(), gitlab?.close()]);
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const servers = await Promise.all(
      draft.clusters.map(async (c) => {
        const api = await startKubeApiServer({ name: c.name, crdDir, users: c.users, now, ...(options.extraServedVersions ? { extraServedVersions: options.extraServedVersions } : {}) });
        started.push(api);
        return api;
      }),
    );
    forge = await startForge({ now });
    // GitLab only when the seed has a GitLab part; its pushes to MR branches start a passing pipeline
    if (draft.gitlab) gitlab = await startGitLabForge({ pipelineOnPush: 'success', now });
    const ctx: SeedContext = {
      clusters: Object.fromEntries(servers.map((s) => [s.name, { server: s.url, caData: Buffer.from(s.caPem).toString('base64') }])),
      forge: { url: forge.url, apiUrl: forge.apiUrl },
      ...(gitlab ? { gitlab: { url: gitlab.url, apiUrl: gitlab.apiUrl } } : {}),
      now,
    };
    const seed = builder(ctx);
    const names = seed.clusters.map((c) => c.name).join(',');
    if (names !== draft.clusters.map((c) => c.name).join(',')) throw new Error(`seed ${seed.name} is not pure: its clusters changed between builds (${names})`);

    forge.load(seed.forge);
    if (seed.gitlab && !gitlab) throw new Error(`seed ${seed.name} is not pure: its GitLab part appeared between builds`);
    if (gitlab && seed.gitlab) gitlab.load(seed.gitlab);
    const management = seed.clusters.find((c) => c.management) ?? seed.clusters[0];
    if (!management) throw new Error(`seed ${seed.name} has no cluster`);
    const clusters: SandboxCluster[] = seed.clusters.map((c, i) => {
      const api = servers[i] as KubeApiServer;
      for (const obj of loadOrder(c.objects)) api.store.apply(obj);
      return { name: c.name, server: api.url, context: c.name, viewerContext: `${c.name}-viewer`, management: c === management, api };
    });

    // kubeconfigs: the admin one carries viewer contexts too; the viewer one mirrors cluster names
    const tokenOf = (cluster: string, user: string) => seed.clusters.find((c) => c.name === cluster)?.users.find((u) => u.name === user)?.token;
    const entries = (user: string, contextName: (cluster: string) => string): KubeconfigEntry[] =>
      clusters.flatMap((c) => {
        const token = tokenOf(c.name, user);
        return token ? [{ cluster: c.name, server: c.server, caPem: c.api.caPem, user, token, contextName: contextName(c.name) }] : [];
      });
    const kubeconfig = path.join(dir, 'kubeconfig');
    const viewerKubeconfig = path.join(dir, 'kubeconfig-viewer');
    writeKubeconfig(kubeconfig, [...entries('admin', (c) => c), ...entries('viewer', (c) => `${c}-viewer`)], management.name);
    writeKubeconfig(
      viewerKubeconfig,
      entries('viewer', (c) => c),
      management.name,
    );

    flux = startFluxSimulator({
      clusters: clusters.map((c) => ({ name: c.name, store: c.api.store })),
      managementCluster: management.name,
      forge: commitSources(forge, gitlab),
      clock: options.fluxClock ?? { ...realClock, now },
      ...(options.fluxDelayMs !== undefined ? { delayMs: options.fluxDelayMs } : {}),
    });

    const kubeTokens: Record<string, Record<string, string>> = {};
    for (const c of seed.clusters) for (const u of c.users) (kubeTokens[u.name] ??= {})[c.name] = u.token;
    const users: SandboxInfo['users'] = {
      signIn: { login: seed.forge.signInUser },
      oauthApps: seed.forge.oauthApps.map(({ name, clientId, clientSecret, expiringTokens, callbackPath }) => ({ name, clientId, clientSecret, expiringTokens, callbackPath })),
      tokens: Object.fromEntries(seed.forge.tokens.filter((t) => t.label).map((t) => [t.label as string, t.value])),
      kube: kubeTokens,
      ...(seed.gitlab
        ? {
            gitlab: {
              signIn: { username: seed.gitlab.signInUser },
              oauthApps: seed.gitlab.oauthApps.map(({ name, clientId, confidential, redirectUris, scopes }) => ({
                name,
                clientId,
                confidential,
                redirectUris: [...redirectUris],
                scopes: [...scopes],
              })),
              tokens: Object.fromEntries(seed.gitlab.tokens.filter((t) => t.label).map((t) => [t.label as string, t.value])),
            },
          }
        : {}),
    };
    const info: SandboxInfo = {
      seed: seedName(options.seed, seed),
      dir,
      kubeconfig,
      viewerKubeconfig,
      managementCluster: management.name,
      clusters: clusters.map(({ name, server, context, viewerContext, management: m }) => ({ name, server, context, viewerContext, management: m })),
      forge: { url: forge.url, apiUrl: forge.apiUrl },
      ...(gitlab ? { gitlab: { url: gitlab.url, apiUrl: gitlab.apiUrl } } : {}),
      users,
    };
    const forgeServer = forge;
    const gitlabServer = gitlab;
    const fluxSimulator = flux;
    let stopping: Promise<void> | undefined;
    return {
      kubeconfig,
      viewerKubeconfig,
      clusters,
      forge: { url: forgeServer.url, apiUrl: forgeServer.apiUrl, server: forgeServer },
      ...(gitlabServer ? { gitlab: { url: gitlabServer.url, apiUrl: gitlabServer.apiUrl, server: gitlabServer } } : {}),
      users,
      flux: fluxSimulator,
      seed,
      info,
      cluster(name) {
        const found = clusters.find((c) => c.name === name);
        if (!found) throw new Error(`no sandbox cluster ${name} (have ${clusters.map((c) => c.name).join(', ')})`);
        return found;
      },
      stop() {
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The Flux simulator follows one commit source; with GitLab it follows both forges. */
function commitSources(github: Forge, gitlab: GitLabForge | undefined): CommitSource {
  if (!gitlab) return github;
  return {
    onCommit(listener) {
      const offs = [github.onCommit(listener), gitlab.onCommit(listener)];
      return () => {
        for (const off of offs) off();
      };
    },
  };
}

export { resolveSeed } from './seeds/index';
export type { FluxSimulator } from './flux/simulator';

/**
 * The Git hosts ("host:port") a user of this sandbox would have configured: its GitHub-compatible
 * forge and, when the seed has one, its GitLab. What `mayContactHost` approves in tests.
 */
export function sandboxForgeHosts(sandbox: Pick<Sandbox, 'forge' | 'gitlab'>): (host: string) => boolean {
  const hosts = new Set([sandbox.forge.url, sandbox.gitlab?.url].flatMap((u) => (u ? [new URL(u).host.toLowerCase()] : [])));
  return (host) => hosts.has(host);
}
