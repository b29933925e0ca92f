// PKCE (RFC 7636, S256 only) and OAuth state values.
// Security model: the verifier and the state are 32 bytes from the OS CSPRNG, base64url
// encoded (43 chars, inside RFC 7636's 43..128 unreserved-character range); only the
// SHA-256 challenge ever leaves the process before the token exchange. States are compared
// in constant time so a local attacker probing the callback learns nothing from timing.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkce(random: (n: number) => Buffer = randomBytes): Pkce {
  const verifier = random(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createOAuthState(random: (n: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

export function sameState(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
