// The one place that knows which forges exist. Everything else (auth-service, session-vault,
// promotion-service, pull-discovery, the token service, the renderer through
// forges:list-capabilities) asks this registry by host and never tests a forge's name itself.
// Adding a forge means a folder beside github/ and gitlab/ with its kind.ts, an entry here,
// and its type in forge-host.ts (URL traits) and common/session.ts (ForgeHostType).

import type { ForgeCapabilities } from '../common/forges';
import type { ForgeHost, ForgeHostType } from './forge-host';
import type { ForgeKind } from './forge-kind';
import { github } from './github/kind';
import { gitlab } from './gitlab/kind';

export type { DeviceFlow, ForgeKind, ForgeOAuth, InspectorDeps } from './forge-kind';

export type ForgeRegistry = (host: Pick<ForgeHost, 'type'>) => ForgeKind;

const KINDS: Record<ForgeHostType, ForgeKind> = { github, gitlab };

/** The forge kind for a host; throws for a type no entry exists for (validateForgeHost refuses those first). */
export const forgeKindFor: ForgeRegistry = (host) => {
  const kind = Object.hasOwn(KINDS, host.type) ? KINDS[host.type] : undefined;
  if (!kind) throw new Error(`no forge registered for host type "${String(host.type)}"`);
  return kind;
};

/** Every registered forge. */
export function forgeKinds(): ForgeKind[] {
  return Object.values(KINDS);
}

/** Every strategy provider some registered forge promotes through, e.g. for a "supported: …" hint. */
export function supportedStrategyProviders(): string[] {
  return forgeKinds().flatMap((k) => [...k.strategyProviders]);
}

/** Every registered forge's label (for hints). */
export function forgeLabels(): string[] {
  return forgeKinds().map((k) => k.label);
}

/** What main tells the renderer about every forge (forges:list-capabilities). */
export function forgeCapabilities(): ForgeCapabilities[] {
  return forgeKinds().map((k) => ({ ...k.capabilities, strategyProviders: [...k.capabilities.strategyProviders] }));
}

/** The repository web URL of a pull request's web URL, by whichever forge writes such URLs; null when none does. */
export function repoUrlOfPullRequest(prUrl: string): string | null {
  for (const kind of forgeKinds()) {
    const repo = kind.repoUrlOfPullRequest(prUrl);
    if (repo !== null) return repo;
  }
  return null;
}
