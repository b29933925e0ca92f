// Non-secret settings persisted as JSON in the app's data folder: window bounds, user
// overrides. Security model: nothing secret is ever written here in the clear — no token, no
// kubeconfig credential; the schema admits only the fields below. The one semi-secret, a Git
// host's OAuth client secret, is sealed with the OS's encryption (Electron safeStorage) when a
// `SecretBox` is given, and otherwise kept in memory only (never written). A corrupt file is set
// aside, not fatal.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const boundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean().optional(),
});

export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  windowBounds: boundsSchema.optional(),
  /** GitopsCluster "namespace/name" → kubeconfig context chosen by the user */
  clusterContextOverrides: z.record(z.string(), z.string()).default({}),
  /** explicit kubeconfig file chosen by the user (instead of KUBECONFIG / ~/.kube/config) */
  kubeconfigPath: z.string().optional(),
  /** opt-in: reach clusters without a context through their GitopsCluster's kubeconfig Secret */
  readGitopsClusterSecrets: z.boolean().default(false),
  updates: z.object({ checkAutomatically: z.boolean().default(true) }).default({ checkAutomatically: true }),
  notifications: z.object({ promotions: z.boolean().default(true) }).default({ promotions: true }),
  /**
   * Git hosts ("host" or "host:port", lower case) the user approved for token checks, beyond
   * the forge hosts configured below: a promotion Secret's token is sent to no other host.
   */
  approvedForgeHosts: z.array(z.string().min(1).max(300)).max(200).default([]),
  /** Credential plugin command lines (path and arguments) the user approved to run. */
  approvedExecPlugins: z.array(z.string().min(1).max(4000)).max(200).default([]),
  /** The user's answer to "read promotion Secrets with your kubeconfig?"; absent = not asked yet. */
  readPromotionSecrets: z.boolean().optional(),
  /** How the window looks: colour theme and board density (view preferences, remembered across restarts). */
  appearance: z
    .object({ theme: z.enum(['system', 'light', 'dark']).default('system'), density: z.enum(['comfortable', 'compact']).default('comfortable') })
    .default({ theme: 'system', density: 'comfortable' }),
  /** Git forges to sign in to (GitHub Enterprise Server, GitLab): app registration, not user secrets */
  forgeHosts: z
    .array(
      z.object({
        id: z.string().max(200).optional(),
        type: z.enum(['github', 'gitlab']).default('github'),
        webUrl: z.string().url(),
        clientId: z.string().max(200),
        clientSecret: z.string().max(400).optional(),
        /** the client secret sealed by the OS (only in the file; decrypted into clientSecret in memory) */
        clientSecretSealed: z.string().max(4000).optional(),
      }),
    )
    .default([]),
});

/** Encryption by the OS for what must survive a restart (Electron: safeStorage, base64 text). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** What is written to disk: no client secret in the clear; sealed where the OS can seal it. */
function forDisk(settings: Settings, box: SecretBox | undefined): Settings {
  return {
    ...settings,
    forgeHosts: settings.forgeHosts.map(({ clientSecret, clientSecretSealed: _old, ...host }) => (clientSecret && box ? { ...host, clientSecretSealed: box.seal(clientSecret) } : host)),
  };
}

/** What the app works with: sealed secrets opened into memory (a secret that cannot be opened is dropped). */
function fromDisk(settings: Settings, box: SecretBox | undefined, onProblem: (message: string) => void): Settings {
  return {
    ...settings,
    forgeHosts: settings.forgeHosts.map(({ clientSecretSealed, clientSecret: _plain, ...host }) => {
      if (!clientSecretSealed) return host;
      try {
        if (box) return { ...host, clientSecret: box.open(clientSecretSealed) };
      } catch {
        // fall through: reported below
      }
      onProblem(`The stored client secret of ${host.webUrl} could not be decrypted; enter it again in Settings.`);
      return host;
    }),
  };
}

export type Settings = z.infer<typeof settingsSchema>;

export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Settings>): Promise<Settings>;
}

export async function openSettingsStore(dir: string, onProblem: (message: string) => void = () => {}, box?: SecretBox): Promise<SettingsStore> {
  const file = path.join(dir, 'settings.json');
  let current: Settings = settingsSchema.parse({});
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) current = fromDisk(parsed.data, box, onProblem);
    else {
      onProblem(`settings.json did not match the expected shape and was set aside: ${parsed.error.issues[0]?.message ?? ''}`);
      await rename(file, `${file}.invalid-${Date.now()}`).catch(() => {});
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      onProblem(`settings.json could not be read and was set aside: ${(error as Error).message}`);
      await rename(file, `${file}.invalid-${Date.now()}`).catch(() => {});
    }
  }
  let writing: Promise<void> = Promise.resolve();
  return {
    get: () => current,
    async update(patch) {
      current = settingsSchema.parse({ ...current, ...patch });
      const snapshot = JSON.stringify(forDisk(current, box), null, 2);
      // Writes are serialised and atomic (temp file + rename) so a crash never leaves half a file.
      writing = writing.then(async () => {
        await mkdir(dir, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, snapshot, { mode: 0o600 });
        await rename(temp, file);
      });
      await writing;
      return current;
    },
  };
}

/** A settings store that keeps nothing on disk: the preview harness and tests. */
export function openMemorySettingsStore(initial: Partial<Settings> = {}): SettingsStore {
  let current: Settings = settingsSchema.parse(initial);
  return {
    get: () => current,
    async update(patch) {
      current = settingsSchema.parse({ ...current, ...patch });
      return current;
    },
  };
}
