// The cluster states the board shows: every connected context, management contexts missing
// from the kubeconfig, and the GitopsClusters targets use that no context reaches, each with
// a note when its GitopsCluster is not Ready. Pure: the scheduler hands in what it knows.

import type { ClusterState } from '../../common/board';

export interface NotReadyGitopsCluster {
  /** The context that reaches it, when one does. */
  context?: string;
  name: string;
  note: string;
}

export interface ClusterStateSources {
  /** States of the contexts in use (not those only discovered ahead of need). */
  connected: readonly ClusterState[];
  /** Management contexts the kubeconfig does not have. */
  missingManagement: readonly string[];
  /** GitopsCluster names targets use that no context reaches. */
  unmapped: Iterable<string>;
  unmappedState: (name: string) => ClusterState;
  /** GitopsClusters a target reads whose Ready condition is False. */
  notReady: readonly NotReadyGitopsCluster[];
}

export function listClusterStates(sources: ClusterStateSources): ClusterState[] {
  const out: ClusterState[] = sources.connected.map((c) => ({ ...c }));
  for (const m of sources.missingManagement) out.push({ name: m, state: 'unreachable', message: `Context "${m}" is not in the kubeconfig` });
  for (const name of sources.unmapped) out.push(sources.unmappedState(name));
  // The board may still read such a cluster through the user's context, but the
  // pipeline-controller cannot promote there: say so on that cluster's state.
  for (const gc of sources.notReady) {
    const entry = out.find((c) => (gc.context ? c.context === gc.context : !c.context && c.name === gc.name));
    if (!entry) continue;
    entry.message = entry.state === 'connected' || !entry.message ? gc.note : `${entry.message}; ${gc.note}`;
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
