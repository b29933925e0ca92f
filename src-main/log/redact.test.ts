import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import { redactSecrets } from './redact';

const samples = {
  classic: 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  fine: 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ',
  oauth: 'gho_' + 'zyxwvutsrqponmlkjihgfedcba9876543210',
  gitlab: 'glpat-' + 'abcdefghij0123456789',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLWJ5dGVz',
};

describe('secret redaction', () => {
  it.each(Object.entries(samples))('removes a %s token wherever it appears', (_kind, token) => {
    const out = redactSecrets(`request failed with ${token} in the middle`);
    expect(out).not.toContain(token);
    expect(out).toContain('[REDACTED]');
  });

  it('removes labelled secrets of unknown shape', () => {
    const out = redactSecrets('Authorization: Bearer s3cr3t-value-123 and client_secret=abcdef123456 password: "hunter22"');
    expect(out).not.toMatch(/s3cr3t-value-123|abcdef123456|hunter22/);
  });

  it('keeps ordinary text readable', () => {
    expect(redactSecrets('promoted checkout to 1.8.3 in prod')).toBe('promoted checkout to 1.8.3 in prod');
  });

  it('is applied by the logger before any sink', () => {
    const logger = createMemoryLogger();
    logger.error('git', `push failed using ${samples.classic}`);
    expect(JSON.stringify(logger.records)).not.toContain(samples.classic);
  });
});
