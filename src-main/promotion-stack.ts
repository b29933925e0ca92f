// Wiring: one factory that builds the whole user-driven promotion stack (vault, sign-in,
// promotion, open-PR discovery) for the composition root. It sits at the root of src-main,
// not in git/ or auth/, because it joins the two and they must not import each other.
// Hosts of every registered forge type (github.com, GHES, gitlab.com, self-managed GitLab)
// go into the same `hosts` list; the forge registry does the rest.
import { createAuthService, type AuthService } from './auth/auth-service';
import type { ForgeHost } from './forges/forge-host';
import type { OpenExternal } from './auth/loopback-sign-in';
import { createSessionVault, type SessionVault } from './auth/session-vault';
import type { Timers } from './auth/timers';
import type { Logger } from './log/logger';
import { forgeKindFor, type ForgeRegistry } from './forges/registry';
import { createPromotionService, type PromotionService } from './git/promotion-service';
import { createPullDiscovery, type PullDiscovery } from './git/pull-discovery';

export interface PromotionStack {
  vault: SessionVault;
  auth: AuthService;
  promotion: PromotionService;
  pulls: PullDiscovery;
  /** On quit: end sign-in attempts, forget every token. */
  shutdown(): void;
}

export function createPromotionStack(options: {
  hosts: ForgeHost[];
  openExternal: OpenExternal;
  logger?: Logger;
  fetch?: typeof fetch;
  timers?: Timers;
  /** Which forges exist (default: the app's registry, github and gitlab). */
  forges?: ForgeRegistry;
}): PromotionStack {
  const forges = options.forges ?? forgeKindFor;
  const common = { forges, ...(options.logger ? { logger: options.logger } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) };
  const vault = createSessionVault({ ...common, ...(options.timers ? { timers: options.timers } : {}) });
  const auth = createAuthService({ hosts: options.hosts, vault, openExternal: options.openExternal, ...common, ...(options.timers ? { timers: options.timers } : {}) });
  const promotion = createPromotionService({ hosts: options.hosts, vault, ...common });
  const pulls = createPullDiscovery({ hosts: options.hosts, vault, forges, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return { vault, auth, promotion, pulls, shutdown: () => auth.shutdown() };
}
