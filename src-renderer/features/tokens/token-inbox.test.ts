import { describe, expect, it } from 'vitest';
import type { TokenEntry, TokenReport } from '../../../src-main/common/tokens';
import { troubledTokens } from './token-inbox';

const use = { pipelineId: 'a/b', context: 'c', namespace: 'a', pipeline: 'b', environment: 'prod', provider: 'github' as const, repoUrl: 'r', secretName: 's', strategySource: 'environment' as const };
const entry = (key: string, state: TokenEntry['state'], referenceOnly = false): TokenEntry => ({ key, state, stateLabel: state, secrets: [], uses: [{ ...use, referenceOnly }], risks: [] });

describe('troubledTokens', () => {
  it('keeps expired, revoked, missing, keyless, unreadable and expiring tokens that a promotion uses, worst first', () => {
    const report: TokenReport = {
      secretReading: 'enabled',
      generatedAt: '',
      pipelines: [],
      problems: [],
      entries: [
        entry('soon', 'expiring-soon'),
        entry('ok', 'valid'),
        entry('gone', 'revoked-or-expired'),
        entry('old', 'expired'),
        entry('unused', 'expired', true),
        entry('nos', 'secret-missing'),
        entry('forbidden', 'forbidden'),
        entry('unread', 'cluster-error'),
        entry('nokey', 'key-missing'),
      ],
    };
    expect(troubledTokens(report).map((e) => e.key)).toEqual(['gone', 'old', 'nos', 'nokey', 'unread', 'soon']);
    expect(troubledTokens(undefined)).toEqual([]);
  });
});
