import { describe, expect, it } from 'vitest';
import type { ReleaseLog, ReleaseLogEntry } from '../common/release-log';
import { csvCell, exportReleaseLog } from './export-release-log';

const entry = (extra: Partial<ReleaseLogEntry> = {}): ReleaseLogEntry => ({
  id: 'a',
  pipelineId: 'team/checkout',
  pipeline: 'team/checkout',
  env: 'prod',
  version: '1.8.1',
  previousVersion: '1.8.0',
  kind: 'promotion',
  mergedAt: '2026-12-03T09:00:00Z',
  healthyAt: '2026-12-03T09:45:00Z',
  pr: { number: 7, url: 'https://github.com/acme/fleet/pull/7', title: 'Promote', ref: 'PR #7' },
  author: 'rm-alice',
  approvers: ['dev-bob', 'carol'],
  at: '2026-12-03T09:00:00Z',
  source: 'pull-request',
  ...extra,
});
const log = (entries: ReleaseLogEntry[]): ReleaseLog => ({
  query: { from: '2026-11-30T00:00:00Z', to: '2026-12-07T00:00:00Z', env: 'prod' },
  entries,
  notices: [],
  generatedAt: '2026-12-07T00:00:00Z',
});

describe('release log export', () => {
  it('writes CSV with a header, one row per release and RFC 4180 quoting', () => {
    const { content, fileName } = exportReleaseLog(log([entry(), entry({ author: 'eve, "the" dev' })]), 'csv');
    expect(fileName).toBe('release-log-prod-2026-12-07.csv');
    const lines = content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Pipeline,Environment,Kind,Version,Previous version,Merged at,Healthy at,Pull request,URL,Author,Approved by,Source');
    expect(lines[1]).toBe('team/checkout,prod,promotion,1.8.1,1.8.0,2026-12-03T09:00:00Z,2026-12-03T09:45:00Z,PR #7,https://github.com/acme/fleet/pull/7,rm-alice,dev-bob carol,pull-request');
    expect(lines[2]).toContain(',"eve, ""the"" dev",');
  });

  it('keeps a spreadsheet from running a forge value as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell('1.8.1')).toBe('1.8.1');
  });

  it('writes a Markdown table with links, escaping pipes and HTML', () => {
    const { content, fileName } = exportReleaseLog(log([entry({ author: 'a|b <img>' })]), 'markdown');
    expect(fileName).toBe('release-log-prod-2026-12-07.md');
    expect(content).toContain('| Pipeline | Environment | Kind | Version |');
    expect(content).toContain('[PR #7](https://github.com/acme/fleet/pull/7)');
    expect(content).toContain('a\\|b &lt;img&gt;');
    expect(content).toContain('environment prod');
    expect(content).toContain('1 release,');
  });
});
