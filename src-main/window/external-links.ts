// Decides whether a link may leave the app for the system browser. Security model: the
// renderer can ask to open any URL; only https URLs (or exactly configured forge origins)
// on allowed hosts, without embedded credentials, are handed to shell.openExternal.

import { parseUrlWithoutCredentials } from '../common/web-url';

export interface ExternalLinkPolicy {
  /** host names allowed over https; a leading '*.' allows sub-domains */
  httpsHosts: string[];
  /** exact origins (scheme://host:port) also allowed, e.g. a configured GHES or sandbox forge */
  extraOrigins: string[];
}

export const defaultExternalLinkPolicy: ExternalLinkPolicy = {
  httpsHosts: ['github.com', '*.github.com', 'gitlab.com', '*.gitlab.com', 'fluxcd.io', 'docs.gitops.weave.works'],
  extraOrigins: [],
};

function hostAllowed(host: string, patterns: string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1 : h === pattern;
  });
}

export function isAllowedExternalUrl(raw: string, policy: ExternalLinkPolicy): boolean {
  const url = parseUrlWithoutCredentials(raw);
  if (!url) return false;
  if (policy.extraOrigins.includes(url.origin)) return true;
  return url.protocol === 'https:' && hostAllowed(url.hostname, policy.httpsHosts);
}
