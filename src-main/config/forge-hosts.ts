// Which Git forges the user can sign in to. github.com is built in when the build carries
// an OAuth client id; GitHub Enterprise Server and GitLab (public app, PKCE, no secret) hosts
// come from configuration.
// Client secrets here are app configuration, not user secrets: a desktop app cannot keep
// them confidential (RFC 8252 §8.5) — PKCE protects the code. User tokens never live here.
import { z } from 'zod';
import { FORGE_HOST_TYPES, forgeHostFrom, githubDotCom, type ForgeHost } from '../forges/forge-host';
import type { EnvironmentForgeHost } from '../common/settings';

const configuredHostSchema = z.object({
  type: z.enum(FORGE_HOST_TYPES as [string, ...string[]]).default('github'),
  id: z.string().min(1).max(200).optional(),
  webUrl: z.string().url(),
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(400).optional(),
});

export type ConfiguredForgeHost = z.infer<typeof configuredHostSchema>;

export interface ForgeHostConfig {
  hosts: ForgeHost[];
  problems: string[];
}

/**
 * Reads forge hosts from the environment:
 * - RELEASE_BOARD_GITHUB_CLIENT_ID / RELEASE_BOARD_GITHUB_CLIENT_SECRET → github.com
 * - RELEASE_BOARD_FORGE_HOSTS → a JSON list of {type: 'github'|'gitlab', webUrl, clientId, clientSecret?, id?}
 * plus any hosts saved in settings. Invalid entries are reported, not fatal.
 */
export function forgeHostsFromConfig(options: { env?: NodeJS.ProcessEnv; saved?: readonly unknown[] } = {}): ForgeHostConfig {
  const env = options.env ?? process.env;
  const hosts: ForgeHost[] = [];
  const problems: string[] = [];
  const clientId = env['RELEASE_BOARD_GITHUB_CLIENT_ID'];
  if (clientId) hosts.push(githubDotCom(clientId, env['RELEASE_BOARD_GITHUB_CLIENT_SECRET'] || undefined));

  const entries: unknown[] = [...(options.saved ?? [])];
  const raw = env['RELEASE_BOARD_FORGE_HOSTS'];
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) entries.push(...parsed);
      else problems.push('RELEASE_BOARD_FORGE_HOSTS must be a JSON list of hosts.');
    } catch (error) {
      problems.push(`RELEASE_BOARD_FORGE_HOSTS is not valid JSON: ${(error as Error).message}`);
    }
  }
  for (const entry of entries) {
    const parsed = configuredHostSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(`A configured forge host was ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      continue;
    }
    try {
      const { type, webUrl, clientId, clientSecret, id } = parsed.data;
      const host = forgeHostFrom({ type: type as (typeof FORGE_HOST_TYPES)[number], webUrl, clientId, ...(clientSecret ? { clientSecret } : {}), ...(id ? { id } : {}) });
      if (hosts.some((h) => h.id === host.id)) problems.push(`Forge host ${host.id} is configured twice; the first one is used.`);
      else hosts.push(host);
    } catch (error) {
      problems.push(`Forge host ${parsed.data.webUrl} was ignored: ${(error as Error).message}`);
    }
  }
  return { hosts, problems };
}

/**
 * The hosts the environment alone configures, each with the variable it came from: what
 * Settings lists read-only. Client secrets stay here; problems are reported by forgeHostsFromConfig.
 */
export function environmentForgeHosts(env: NodeJS.ProcessEnv): EnvironmentForgeHost[] {
  const withoutListed = { ...env, RELEASE_BOARD_FORGE_HOSTS: undefined };
  const fromClientId = new Set(forgeHostsFromConfig({ env: withoutListed }).hosts.map((h) => h.id));
  return forgeHostsFromConfig({ env }).hosts.map((h) => ({
    id: h.id,
    type: h.type,
    webUrl: h.webUrl,
    clientId: h.clientId,
    variable: fromClientId.has(h.id) ? 'RELEASE_BOARD_GITHUB_CLIENT_ID' : 'RELEASE_BOARD_FORGE_HOSTS',
  }));
}
