// Kubeconfig loading with kubectl's rules, returning plain errors instead of throwing.
//
// Security model: kubeconfig files hold credentials (tokens, client keys, exec plugin
// commands). They are read in main only; nothing from here except context names, server
// URLs and auth *kinds* may reach the renderer or a log.
//
// Why not KubeConfig.loadFromDefault: it throws on a name defined in two KUBECONFIG files
// (kubectl keeps the first), resolves relative paths against the wrong file, and silently
// falls back to http://localhost:8080 when nothing is configured.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
import { err, ok, type Result } from '../common/result';

export interface KubeconfigLocation {
  /** Where the list of files came from. */
  origin: 'explicit' | 'env' | 'default';
  paths: string[];
}

export type AuthKind = 'token' | 'client-certificate' | 'exec' | 'basic' | 'auth-provider' | 'none';

/** Non-secret facts about one context, safe to show. */
export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  authKind: AuthKind;
  /** The credential plugin command (as written in the kubeconfig), for exec users. */
  execCommand?: string;
  /** The file that defined this context. */
  file: string;
}

export interface KubeconfigWarning {
  code: 'exec-plugin-missing' | 'context-dangling' | 'exec-plugin-unapproved';
  context?: string;
  message: string;
  hint: string;
}

export interface LoadedKubeconfig {
  location: KubeconfigLocation;
  /** Files actually read, in precedence order. */
  files: string[];
  currentContext?: string;
  contexts: ContextInfo[];
  warnings: KubeconfigWarning[];
  /** Credential plugin command lines this kubeconfig would run that the user has not approved. */
  unapprovedExecPlugins: string[];
  /** A client-node KubeConfig whose current context is `name` (one instance per call). Throws for a context whose plugin is not approved. */
  forContext(name: string): KubeConfig;
}

export interface LoadKubeconfigOptions {
  /** An explicit file (like kubectl --kubeconfig): must exist. */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** PATH used to find exec credential plugins (e.g. the login shell's); defaults to env.PATH. */
  searchPath?: string;
  platform?: NodeJS.Platform;
  /**
   * Whether a credential plugin command line (resolved path and arguments) may run. A kubeconfig
   * is a file anyone could hand the user; its exec plugins run as the user, so the desktop app
   * asks once per command line. Absent: every plugin may run (kubectl's behaviour).
   */
  execApproved?: (commandLine: string) => boolean;
}

/** The command line a user's exec plugin runs, as shown to the user and remembered once approved. */
export function execCommandLine(exec: { command: string; args?: unknown }): string {
  const args = Array.isArray(exec.args) ? exec.args.filter((a): a is string => typeof a === 'string') : [];
  return [exec.command, ...args].join(' ');
}

/** Which files to read, in kubectl's order: --kubeconfig, else $KUBECONFIG (list), else ~/.kube/config. */
export function kubeconfigLocation(opts: LoadKubeconfigOptions = {}): KubeconfigLocation {
  const env = opts.env ?? process.env;
  if (opts.explicitPath) return { origin: 'explicit', paths: [path.resolve(opts.explicitPath)] };
  const delimiter = (opts.platform ?? process.platform) === 'win32' ? ';' : ':';
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.length > 0);
  if (fromEnv.length > 0) {
    // kubectl drops repeated entries, keeping the first.
    return { origin: 'env', paths: [...new Set(fromEnv.map((p) => path.resolve(p)))] };
  }
  const home = opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? os.homedir();
  return { origin: 'default', paths: [path.join(home, '.kube', 'config')] };
}

type Named = { name: string } & Record<string, unknown>;

interface RawFile {
  file: string;
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  currentContext?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRawFile(file: string): Result<RawFile | null> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ok(null);
    return err('kubeconfig-unreadable', `Cannot read kubeconfig ${file}: ${code ?? String(e)}`, 'Check the file permissions.');
  }
  if (text.trim().length === 0) return ok({ file, clusters: [], users: [], contexts: [] });
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    return err('kubeconfig-malformed', `Kubeconfig ${file} is not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`, 'Fix the file, or point KUBECONFIG at a valid one.');
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) return ok({ file, clusters: [], users: [], contexts: [] });
  if (!isRecord(data)) return err('kubeconfig-malformed', `Kubeconfig ${file} is not a mapping`, 'A kubeconfig is a YAML mapping with clusters, users and contexts.');
  const out: RawFile = { file, clusters: [], users: [], contexts: [] };
  for (const section of ['clusters', 'users', 'contexts'] as const) {
    const list = data[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return err('kubeconfig-malformed', `Kubeconfig ${file}: "${section}" must be a list`, 'Fix the file.');
    for (const [i, entry] of list.entries()) {
      if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.length === 0) {
        return err('kubeconfig-malformed', `Kubeconfig ${file}: ${section}[${i}] has no name`, 'Every cluster, user and context needs a name.');
      }
      out[section].push(entry as Named);
    }
  }
  const current = data['current-context'];
  if (typeof current === 'string' && current.length > 0) out.currentContext = current;
  return ok(out);
}

function absolutise(value: unknown, dir: string): unknown {
  return typeof value === 'string' && value.length > 0 && !path.isAbsolute(value) ? path.resolve(dir, value) : value;
}

/** Resolves relative file references against the directory of the file that holds them (kubectl does). */
function resolvePaths(kind: 'clusters' | 'users', entry: Named, dir: string): Named {
  const key = kind === 'clusters' ? 'cluster' : 'user';
  const body = entry[key];
  if (!isRecord(body)) return entry;
  const copy: Record<string, unknown> = { ...body };
  const fileKeys = kind === 'clusters' ? ['certificate-authority'] : ['client-certificate', 'client-key', 'token-file'];
  for (const k of fileKeys) if (k in copy) copy[k] = absolutise(copy[k], dir);
  if (kind === 'users' && isRecord(copy.exec)) {
    const exec = { ...copy.exec };
    // A command with a separator is a path relative to the kubeconfig; a bare name is looked up on PATH.
    if (typeof exec.command === 'string' && /[\\/]/.test(exec.command)) exec.command = absolutise(exec.command, dir);
    copy.exec = exec;
  }
  return { ...entry, [key]: copy };
}

/** Finds an executable on a PATH string; undefined when absent. */
export function findExecutable(command: string, searchPath: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const exts = platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  const candidates = path.isAbsolute(command)
    ? [command]
    : searchPath
        .split(platform === 'win32' ? ';' : ':')
        .filter((d) => d.length > 0)
        .map((d) => path.join(d, command));
  for (const base of candidates) {
    for (const ext of exts) {
      try {
        fs.accessSync(base + ext, fs.constants.X_OK);
        if (fs.statSync(base + ext).isFile()) return base + ext;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

function authKindOf(user: Record<string, unknown> | undefined): AuthKind {
  if (!user) return 'none';
  if (isRecord(user.exec)) return 'exec';
  if (isRecord(user['auth-provider'])) return 'auth-provider';
  if (user['client-certificate'] || user['client-certificate-data']) return 'client-certificate';
  if (user.token || user['token-file']) return 'token';
  if (user.username) return 'basic';
  return 'none';
}

/**
 * Loads and merges kubeconfig files like kubectl: for clusters, users and contexts the
 * first file that defines a name wins; the first file that sets current-context wins.
 * Missing files in a KUBECONFIG list are skipped; if none exists that is an error
 * (never a silent localhost fallback).
 */
export function loadKubeconfig(opts: LoadKubeconfigOptions = {}): Result<LoadedKubeconfig> {
  const location = kubeconfigLocation(opts);
  const env = opts.env ?? process.env;
  const searchPath = opts.searchPath ?? env.PATH ?? '';
  const platform = opts.platform ?? process.platform;
  const raws: RawFile[] = [];
  for (const file of location.paths) {
    const r = readRawFile(file);
    if (!r.ok) return r;
    if (r.value) raws.push(r.value);
  }
  if (raws.length === 0) {
    const where = location.origin === 'env' ? `KUBECONFIG (${location.paths.join(', ')})` : location.paths[0];
    return err(
      'kubeconfig-missing',
      `No kubeconfig found at ${where}`,
      location.origin === 'explicit' ? 'Choose an existing kubeconfig file.' : 'Create ~/.kube/config (e.g. with your cloud CLI) or set KUBECONFIG.',
    );
  }

  const merged = { clusters: new Map<string, Named>(), users: new Map<string, Named>(), contexts: new Map<string, Named>() };
  const contextFile = new Map<string, string>();
  let currentContext: string | undefined;
  for (const raw of raws) {
    const dir = path.dirname(raw.file);
    for (const c of raw.clusters) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, resolvePaths('clusters', c, dir));
    for (const u of raw.users) if (!merged.users.has(u.name)) merged.users.set(u.name, resolvePaths('users', u, dir));
    for (const c of raw.contexts) {
      if (!merged.contexts.has(c.name)) {
        merged.contexts.set(c.name, c);
        contextFile.set(c.name, raw.file);
      }
    }
    currentContext ??= raw.currentContext;
  }

  const warnings: KubeconfigWarning[] = [];
  const execMissing = new Map<string, string>();
  const execUnapproved = new Map<string, string>();
  for (const [name, u] of merged.users) {
    const body = u.user;
    if (!isRecord(body) || !isRecord(body.exec) || typeof body.exec.command !== 'string') continue;
    const exec = { ...body.exec } as Record<string, unknown> & { command: string };
    const found = findExecutable(exec.command, searchPath, platform);
    if (found) {
      exec.command = found;
      // Desktop launches get a minimal PATH; give the plugin the PATH we searched so it
      // can find its own helpers (aws → python, gke-gcloud-auth-plugin → gcloud).
      if (searchPath && searchPath !== env.PATH) {
        const envList = Array.isArray(exec.env) ? exec.env.filter((e) => isRecord(e) && e.name !== 'PATH') : [];
        exec.env = [...envList, { name: 'PATH', value: searchPath }];
      }
      const line = execCommandLine(exec);
      if (opts.execApproved && !opts.execApproved(line)) execUnapproved.set(name, line);
    } else {
      const hint = typeof exec.installHint === 'string' ? exec.installHint.trim() : '';
      execMissing.set(name, `credential plugin "${exec.command}" was not found${/[\\/]/.test(exec.command) ? '' : ' on PATH'}${hint ? `. ${hint}` : ''}`);
    }
    merged.users.set(name, { ...u, user: { ...body, exec } });
  }

  const contexts: ContextInfo[] = [];
  const blockedContexts = new Map<string, string>();
  for (const [name, c] of merged.contexts) {
    const body = isRecord(c.context) ? c.context : {};
    const clusterName = typeof body.cluster === 'string' ? body.cluster : '';
    const userName = typeof body.user === 'string' ? body.user : '';
    const cluster = merged.clusters.get(clusterName)?.cluster;
    const user = merged.users.get(userName)?.user;
    const info: ContextInfo = {
      name,
      cluster: clusterName,
      user: userName,
      authKind: authKindOf(isRecord(user) ? user : undefined),
      file: contextFile.get(name) ?? '',
    };
    if (typeof body.namespace === 'string') info.namespace = body.namespace;
    if (isRecord(cluster) && typeof cluster.server === 'string') info.server = cluster.server;
    if (isRecord(user) && isRecord(user.exec) && typeof user.exec.command === 'string') info.execCommand = user.exec.command;
    contexts.push(info);
    if (!isRecord(cluster)) {
      warnings.push({
        code: 'context-dangling',
        context: name,
        message: `Context "${name}" names cluster "${clusterName}", which no kubeconfig file defines`,
        hint: 'Fix the context or add the cluster.',
      });
    }
    const unapproved = execUnapproved.get(userName);
    if (unapproved) {
      blockedContexts.set(name, unapproved);
      warnings.push({
        code: 'exec-plugin-unapproved',
        context: name,
        message: `Context "${name}" runs the credential plugin "${unapproved}", which you have not approved`,
        hint: 'Open Settings → Kubernetes and review the credential plugins: Release Board runs none until you approve it.',
      });
    }
    const missing = execMissing.get(userName);
    if (missing) {
      warnings.push({ code: 'exec-plugin-missing', context: name, message: `Context "${name}": ${missing}`, hint: 'Install the plugin, or start Release Board from a shell where it is on PATH.' });
    }
  }

  const document = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...merged.clusters.values()],
    users: [...merged.users.values()],
    contexts: [...merged.contexts.values()],
    'current-context': currentContext,
  };
  const base = new KubeConfig();
  try {
    base.loadFromString(JSON.stringify(document));
  } catch (e) {
    return err('kubeconfig-malformed', `Kubeconfig ${raws.map((r) => r.file).join(', ')}: ${(e as Error).message}`, 'Fix the entry named in the message.');
  }

  const loaded: LoadedKubeconfig = {
    location,
    files: raws.map((r) => r.file),
    contexts,
    warnings,
    unapprovedExecPlugins: [...new Set(execUnapproved.values())],
    forContext(name: string): KubeConfig {
      if (!merged.contexts.has(name)) throw new Error(`Unknown kubeconfig context "${name}"`);
      const blocked = blockedContexts.get(name);
      if (blocked) throw new Error(`context "${name}" waits for your approval to run the credential plugin "${blocked}" (Settings → Kubernetes)`);
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: name });
      return kc;
    },
  };
  if (currentContext) loaded.currentContext = currentContext;
  return ok(loaded);
}
