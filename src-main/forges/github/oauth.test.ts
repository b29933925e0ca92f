import { describe, expect, it } from 'vitest';
import { validateAuthorizeUrl } from '../../auth/loopback-sign-in';
import { githubDotCom, githubEnterpriseHost } from '../forge-host';
import { authorizeUrl } from './oauth';

const args = { redirectUri: 'http://127.0.0.1:49152/callback', state: 'st-1', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM' };

describe('GitHub authorize URL (OAuthApp.getWebFlowAuthorizationUrl plus PKCE)', () => {
  it("carries the library's parameters and the PKCE challenge on github.com", () => {
    const url = new URL(authorizeUrl(githubDotCom('Ov23liExample'), args));
    expect(`${url.origin}${url.pathname}`).toBe('https://github.com/login/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'Ov23liExample',
      redirect_uri: args.redirectUri,
      scope: 'repo',
      state: args.state,
      allow_signup: 'true',
      response_type: 'code',
      code_challenge: args.challenge,
      code_challenge_method: 'S256',
    });
  });

  it("points at a GitHub Enterprise Server's own authorize page and passes the sign-in's check", () => {
    const host = { ...githubEnterpriseHost('https://ghe.acme.example', 'Iv1.abc'), scopes: ['repo', 'read:user'] };
    const url = authorizeUrl(host, args);
    expect(url.startsWith('https://ghe.acme.example/login/oauth/authorize?')).toBe(true);
    expect(new URL(url).searchParams.get('scope')?.split(/[\s,]+/)).toEqual(['repo', 'read:user']);
    expect(() => validateAuthorizeUrl(host, url, args)).not.toThrow();
  });
});
