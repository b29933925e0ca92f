// Fakes for the board units' tests (test-only; production modules never import this file).

import { KubeConfig } from '@kubernetes/client-node';
import type { LoadedKubeconfig } from '../kubeconfig';
import type { ListWatchTransport } from '../list-watch';
import type { ConnectionEvents } from './cluster-connections';

/** A KubeConfig for one made-up cluster: nothing is ever dialled through it. */
export function fakeKubeConfig(context: string, server = `https://${context}.example.test`): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: context, server, skipTLSVerify: false }],
    users: [{ name: `${context}-user`, token: 'test-token' }],
    contexts: [{ name: context, cluster: context, user: `${context}-user` }],
    currentContext: context,
  });
  return kc;
}

/** A loaded kubeconfig with these contexts; `blocked` ones throw like an unapproved exec plugin. */
export function fakeLoadedKubeconfig(contexts: string[], opts: { current?: string; blocked?: string[]; servers?: Record<string, string> } = {}): LoadedKubeconfig {
  return {
    location: { origin: 'explicit', paths: ['/test/kubeconfig'] },
    files: ['/test/kubeconfig'],
    ...(opts.current ? { currentContext: opts.current } : {}),
    contexts: contexts.map((name) => ({ name, cluster: name, user: `${name}-user`, authKind: 'token' as const, file: '/test/kubeconfig' })),
    warnings: [],
    unapprovedExecPlugins: [],
    forContext(name) {
      if (opts.blocked?.includes(name)) throw new Error(`the credential plugin of ${name} was not approved`);
      return fakeKubeConfig(name, opts.servers?.[name]);
    },
  };
}

/** A transport whose list answers with `items` at once and whose watch stays open, silent. */
export function staticTransport(items: unknown[] = []): ListWatchTransport {
  return {
    list: () => Promise.resolve({ items, resourceVersion: '1' }),
    watch: () => Promise.resolve({ abort: () => undefined }),
  };
}

/** Connection events nobody listens to. */
export const ignoredConnectionEvents: ConnectionEvents = {
  clustersChanged: () => undefined,
  contextState: () => undefined,
  watchState: () => undefined,
  watchChange: () => undefined,
  credentialsRenewed: () => undefined,
  secretUnauthorized: () => undefined,
};
