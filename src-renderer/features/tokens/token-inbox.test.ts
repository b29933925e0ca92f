import { describe, expect, it } from 'vitest';
import type { TokenEntry, TokenReport } from '../../../src-main/common/tokens';
import { troubledTokens } from './token-inbox';

const use = { pipelineId: 'a/b', context: 'c', namespace: 'a', pipeline: 'b', environment: 'prod', provider: 'github' as const, repoUrl: 'r', secretName: 's', strategySource: 'environment' as const };
const entry = (key: string, state: TokenEntry['state'], referenceOnly = false): TokenEntry => ({ key, state, stateLabel: state, secrets: [], uses: [{ ...use, referenceOnly }], risks: [] });

describe('troubledTokens', () => {
  it('keeps expired, revoked and expiring tokens that a promotion uses, worst first', () => {
    const report: TokenReport = {
      secretReading: 'enabled',
      generatedAt: '',
      pipelines: [],
      problems: [],
      entries: [entry('soon', 'expiring-soon'), entry('ok', 'valid'), entry('gone', 'revoked-or-expired'), entry('old', 'expired'), entry('unused', 'expired', true), entry('nos', 'secret-missing')],
    };
    expect(troubledTokens(report).map((e) => e.key)).toEqual(['gone', 'old', 'soon']);
    expect(troubledTokens(undefined)).toEqual([]);
  });
});
