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

  // Real-shaped secrets in the kinds of lines the app writes; none may survive.
  const corpus: Array<[string, string, string]> = [
    ['URL credentials', 'fetch https://deploy-bot:s3cretPassw0rd@git.acme.example/acme/fleet.git failed', 's3cretPassw0rd'],
    ['URL credentials (token as user)', 'remote http://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@127.0.0.1:8080/o/r', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'],
    [
      'GitLab OAuth access token (64 hex)',
      'GET /api/v4/user with 3b1f1c8e5d2a4b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e answered 401',
      '3b1f1c8e5d2a4b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e',
    ],
    ['GitLab refresh token (64 hex, JSON)', '{"refresh_token":"8f14e45fceea167a5a36dedd4bea2543ab12cd34ef56ab78cd90ef12ab34cd56"}', '8f14e45fceea167a5a36dedd4bea2543ab12cd34ef56ab78cd90ef12ab34cd56'],
    [
      'EKS token',
      'exec plugin returned k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ',
      'aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ',
    ],
    ['authorization code in a callback URL', 'callback GET /callback?code=4f2b8c1d9e3a7f6b5c0d&state=abc', '4f2b8c1d9e3a7f6b5c0d'],
    ['device code in a form body', 'POST /login/oauth/access_token client_id=Iv1.x&device_code=3584d83530557fdd1f46af8289938c8ef79f9dc5&grant_type=urn', '3584d83530557fdd1f46af8289938c8ef79f9dc5'],
    [
      'GitHub refresh token',
      'refresh with ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
      'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
    ],
    ['refresh token in a form body', 'grant_type=refresh_token&refresh_token=r1.opaque-value_42&client_id=x', 'r1.opaque-value_42'],
    ['GitLab project token', 'token glpat-xY12_abcDEF34ghiJK56lm failed', 'glpat-xY12_abcDEF34ghiJK56lm'],
  ];
  it.each(corpus)('redacts %s', (_what, line, secret) => {
    const out = redactSecrets(line);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('keeps public digests and short fingerprints, which look like secrets but are not', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    expect(redactSecrets(`deployed latest@${digest}`)).toBe(`deployed latest@${digest}`);
    expect(redactSecrets('fingerprint 3f1c0b9e checked, commit 3f1c0b9e2d4a5b6c7d8e9f00112233445566778a')).toBe('fingerprint 3f1c0b9e checked, commit 3f1c0b9e2d4a5b6c7d8e9f00112233445566778a');
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
