// The signed-in user's GitLab session as the token inspector sees it: a token lent for one
// call to the GitLab host whose API serves a repository. The inspector uses it to read stored
// tokens' records (and their last use) without sending the stored token itself.
//
// Security model: the session token stays in the vault; `withToken` lends it to one callback
// in main. It goes only to the API base URL of a configured GitLab host with a live session.

import type { ForgeHost } from '../forge-host';
import type { SessionTokens } from '../session-tokens';
import type { GitLabSessionAccess } from './last-use';

const trimSlash = (url: string): string => url.replace(/\/+$/, '').toLowerCase();

export function gitlabSessionFromVault(hosts: readonly ForgeHost[], vault: SessionTokens): GitLabSessionAccess {
  return {
    async withSessionToken(apiBaseUrl, fn) {
      const host = hosts.find((h) => h.type === 'gitlab' && trimSlash(h.apiUrl) === trimSlash(apiBaseUrl) && vault.get(h.id)?.state === 'signed-in');
      return host ? vault.withToken(host.id, fn) : undefined;
    },
  };
}
