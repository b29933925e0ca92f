// release-board:// links: release-board://pipeline/<namespace>/<name>[/<environment>][?context=<ctx>]
// open the board at that Pipeline (and environment). A link arrives from anywhere (a chat
// message, a web page), so it can only ask the board to focus a cell: it is parsed strictly,
// and nothing in it is executed, fetched or stored.

export const deepLinkScheme = 'release-board';

export interface DeepLinkTarget {
  /** the board's row id: "ns/name", or "ns/name@context" */
  pipelineId: string;
  /** '' = the Pipeline's first environment */
  environment: string;
}

// Kubernetes object names (DNS-1123 subdomains) and context names, kept short.
const kubeName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const contextName = /^[A-Za-z0-9][-A-Za-z0-9_.:@/]{0,252}$/;

export function parseDeepLink(raw: string): DeepLinkTarget | undefined {
  if (raw.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${deepLinkScheme}:` || url.host !== 'pipeline') return undefined;
  const parts = url.pathname.split('/').filter((p) => p.length > 0);
  if (parts.length < 2 || parts.length > 3) return undefined;
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  const [namespace, name, environment = ''] = decoded as [string, string, string?];
  if (!kubeName.test(namespace) || !kubeName.test(name) || (environment && !kubeName.test(environment))) return undefined;
  const context = url.searchParams.get('context');
  if (context !== null && !contextName.test(context)) return undefined;
  return { pipelineId: `${namespace}/${name}${context ? `@${context}` : ''}`, environment };
}

/** The deep link among a (second instance's) command line, if any. */
export function deepLinkInArgs(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.startsWith(`${deepLinkScheme}://`));
}
