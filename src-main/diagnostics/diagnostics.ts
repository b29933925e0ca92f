// "Copy diagnostics" (Help menu): a plain-text summary a user can paste into an issue.
// Security model: counts and versions only — no cluster, context, namespace or repository
// names, no server URLs, no tokens. The one free-text section (recent problems) passes
// through the logger's redaction plus URL scrubbing, and is cut short.
import type { AppInfo } from '../common/app-info';
import type { ClusterConnectionState } from '../common/board';
import { redactSecrets, redactedMarker } from '../log/redact';

export interface DiagnosticsInput {
  app: AppInfo;
  /** os.type(), os.release() (and optionally os.arch()) of the machine */
  os: { type: string; release: string };
  /** kubeconfig contexts found */
  contexts: number;
  /** one entry per cluster the board knows, with its connection state */
  clusters: { state: ClusterConnectionState }[];
  pipelines?: number;
  /** forge hosts configured and whether a user is signed in to each (hosts are not printed) */
  forges?: { signedIn: boolean }[];
  /** the update service's state name */
  updateState?: string;
  /** automatic update checks on or off */
  checkUpdatesAutomatically?: boolean;
  /** the app's locale, e.g. en-US */
  locale?: string;
  /** a few recent warning/error messages; scrubbed before use */
  recentProblems?: string[];
  /** ISO time of the report */
  generatedAt: string;
}

const maxProblems = 10;
const maxProblemLength = 300;

/** Removes what a diagnostics line must not carry: URLs (which may hold credentials or internal hosts) and token shapes. */
export function scrubDiagnosticText(text: string): string {
  let out = redactSecrets(text);
  // Any URL: keep the scheme only. Server addresses are not needed to diagnose the app.
  out = out.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => `${url.split(':')[0]}://[url]`);
  // Long opaque strings (base64/hex blobs: keys, certificates, unknown token formats).
  out = out.replace(/[A-Za-z0-9+/_=-]{40,}/g, redactedMarker);
  return out.replace(/[\r\n]+/g, ' ').slice(0, maxProblemLength);
}

function countBy<T extends string>(values: T[]): string {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** Only version-like strings survive (a digit first, then digits, dots, letters, dashes). */
function safeVersion(value: string | null | undefined): string {
  return value && /^\d[\w.+-]{0,40}$/.test(value) && redactSecrets(value) === value ? value : 'unknown';
}

function safeTime(value: string): string {
  return /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value) ? value : 'unknown';
}

function safeLocale(value: string): string {
  return /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(value) ? value : 'unknown';
}

function safeWord(value: string | undefined): string {
  return value && /^[\w .()+-]{1,40}$/.test(value) && redactSecrets(value) === value ? value : 'unknown';
}

export function diagnosticsText(input: DiagnosticsInput): string {
  const lines: string[] = [];
  lines.push(`${safeWord(input.app.name)} ${safeVersion(input.app.version)} diagnostics (${safeTime(input.generatedAt)})`);
  lines.push('');
  lines.push(`app:        ${safeVersion(input.app.version)} (${safeWord(input.app.shell)})`);
  lines.push(`electron:   ${safeVersion(input.app.versions.electron)}`);
  lines.push(`chrome:     ${safeVersion(input.app.versions.chrome)}`);
  lines.push(`node:       ${safeVersion(input.app.versions.node)}`);
  lines.push(`os:         ${safeWord(input.os.type)} ${safeVersion(input.os.release)} (${safeWord(input.app.platform)}/${safeWord(input.app.arch)})`);
  if (input.locale) lines.push(`locale:     ${safeLocale(input.locale)}`);
  lines.push(`contexts:   ${input.contexts}`);
  lines.push(`clusters:   ${input.clusters.length}${input.clusters.length ? ` (${countBy(input.clusters.map((c) => c.state))})` : ''}`);
  if (input.pipelines !== undefined) lines.push(`pipelines:  ${input.pipelines}`);
  if (input.forges) lines.push(`forges:     ${input.forges.length} configured, ${input.forges.filter((f) => f.signedIn).length} signed in`);
  if (input.updateState !== undefined || input.checkUpdatesAutomatically !== undefined) {
    const auto = input.checkUpdatesAutomatically === undefined ? '' : `, automatic checks ${input.checkUpdatesAutomatically ? 'on' : 'off'}`;
    lines.push(`updates:    ${safeWord(input.updateState)}${auto}`);
  }
  const problems = (input.recentProblems ?? [])
    .slice(-maxProblems)
    .map(scrubDiagnosticText)
    .filter((p) => p.trim());
  lines.push('');
  lines.push(problems.length ? 'recent problems:' : 'recent problems: none');
  for (const problem of problems) lines.push(`  - ${problem}`);
  return `${lines.join('\n')}\n`;
}
