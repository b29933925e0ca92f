// The release log as a file for change reviews: CSV (spreadsheets) and Markdown (a wiki page or
// a ticket). Pure. Every value is forge or cluster data, so both formats neutralise what a
// reader's tool would interpret: CSV cells that a spreadsheet would run as a formula, Markdown
// pipes, HTML and line breaks.
import type { ReleaseLog, ReleaseLogEntry, ReleaseLogFormat } from '../common/release-log';

interface Column {
  title: string;
  value(e: ReleaseLogEntry): string;
}

const COLUMNS: Column[] = [
  { title: 'Pipeline', value: (e) => e.pipeline },
  { title: 'Environment', value: (e) => e.env },
  { title: 'Kind', value: (e) => e.kind },
  { title: 'Version', value: (e) => e.version },
  { title: 'Previous version', value: (e) => e.previousVersion ?? '' },
  { title: 'Merged at', value: (e) => e.mergedAt ?? '' },
  { title: 'Healthy at', value: (e) => e.healthyAt ?? '' },
  { title: 'Pull request', value: (e) => e.pr?.ref ?? '' },
  { title: 'URL', value: (e) => e.pr?.url ?? '' },
  { title: 'Author', value: (e) => e.author ?? '' },
  { title: 'Approved by', value: (e) => e.approvers.join(' ') },
  { title: 'Source', value: (e) => e.source },
];

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would evaluate (CSV injection). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function markdownCell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');
}

export function releaseLogCsv(log: Pick<ReleaseLog, 'entries'>): string {
  const lines = [COLUMNS.map((c) => csvCell(c.title)).join(','), ...log.entries.map((e) => COLUMNS.map((c) => csvCell(c.value(e))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function scopeWords(log: ReleaseLog): string {
  const q = log.query;
  const what = [q.pipelineId ? `pipeline ${q.pipelineId}` : 'all pipelines', q.env ? `environment ${q.env}` : 'all environments'].join(', ');
  return `${what}; ${q.from} to ${q.to}`;
}

export function releaseLogMarkdown(log: ReleaseLog): string {
  const cell = (e: ReleaseLogEntry, c: Column): string => {
    const v = c.value(e);
    if (c.title === 'Pull request' && e.pr && /^https:\/\//.test(e.pr.url)) return `[${markdownCell(v)}](${e.pr.url.replace(/[()\s]/g, encodeURIComponent)})`;
    return markdownCell(v);
  };
  const columns = COLUMNS.filter((c) => c.title !== 'URL');
  return [
    '# Release log',
    '',
    `${markdownCell(scopeWords(log))} — ${log.entries.length} ${log.entries.length === 1 ? 'release' : 'releases'}, generated ${log.generatedAt}.`,
    '',
    `| ${columns.map((c) => c.title).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...log.entries.map((e) => `| ${columns.map((c) => cell(e, c)).join(' | ')} |`),
    ...(log.notices.length > 0 ? ['', '**Incomplete:**', '', ...log.notices.map((n) => `- ${markdownCell(n.repoUrl)}: ${markdownCell(n.message)}`)] : []),
    '',
  ].join('\n');
}

export function exportReleaseLog(log: ReleaseLog, format: ReleaseLogFormat): { content: string; fileName: string } {
  const day = log.query.to.slice(0, 10);
  const scope = [log.query.pipelineId?.replace(/[^A-Za-z0-9._-]+/g, '-'), log.query.env].filter(Boolean).join('-');
  const base = `release-log${scope ? `-${scope}` : ''}-${day}`;
  return format === 'csv' ? { content: releaseLogCsv(log), fileName: `${base}.csv` } : { content: releaseLogMarkdown(log), fileName: `${base}.md` };
}
