import { describe, expect, it } from 'vitest';
import { forgeEndpoints, forgeHostFrom, ForgeHostError, githubDotCom, githubEnterpriseHost, gitlabHost, requestedScopes, resolveRepoUrl, summarizeHost, validateForgeHost } from './forge-host';

describe('forge hosts of every type', () => {
  const gh = githubDotCom('Iv1.abc');
  const ghes = githubEnterpriseHost('https://ghe.acme.example/', 'Iv1.def');
  const gl = gitlabHost('https://gitlab.acme.example', 'app-uid');
  const glRoot = gitlabHost('https://tools.acme.example/gitlab/', 'app-uid', { id: 'tools-gitlab' });

  it('derives per-type OAuth endpoints and default scopes', () => {
    expect(forgeEndpoints(ghes)).toMatchObject({
      authorize: 'https://ghe.acme.example/login/oauth/authorize',
      token: 'https://ghe.acme.example/login/oauth/access_token',
      deviceCode: 'https://ghe.acme.example/login/device/code',
    });
    expect(forgeEndpoints(gl)).toEqual({
      authorize: 'https://gitlab.acme.example/oauth/authorize',
      token: 'https://gitlab.acme.example/oauth/token',
      deviceCode: null,
      revoke: 'https://gitlab.acme.example/oauth/revoke',
      api: 'https://gitlab.acme.example/api/v4',
    });
    expect(forgeEndpoints(glRoot).token).toBe('https://tools.acme.example/gitlab/oauth/token');
    expect(requestedScopes(gh)).toEqual(['repo']);
    expect(requestedScopes(gl)).toEqual(['api', 'read_user']);
    expect(summarizeHost(gl)).toEqual({ id: 'gitlab.acme.example', type: 'gitlab', webUrl: 'https://gitlab.acme.example', apiUrl: 'https://gitlab.acme.example/api/v4' });
  });

  it('refuses unknown types, paths in GitHub web URLs and plain http', () => {
    expect(() => validateForgeHost({ ...gh, type: 'bitbucket' as never })).toThrow(ForgeHostError);
    expect(() => validateForgeHost({ ...gh, webUrl: 'https://github.com/sub' })).toThrow(/origin/);
    expect(() => gitlabHost('http://gitlab.acme.example', 'x')).toThrow(/https/);
    expect(validateForgeHost(glRoot).webUrl).toBe('https://tools.acme.example/gitlab');
  });

  it('resolves repository URLs: owner/repo on GitHub, nested groups and page suffixes on GitLab', () => {
    const hosts = [gh, ghes, gl, glRoot];
    expect(resolveRepoUrl(hosts, 'https://github.com/acme/fleet.git')).toMatchObject({ host: { id: 'github.com' }, owner: 'acme', name: 'fleet' });
    expect(resolveRepoUrl(hosts, 'https://github.com/acme/infra/fleet')).toBeNull();
    expect(resolveRepoUrl(hosts, 'https://gitlab.acme.example/platform-team/infra/fleet-config')).toMatchObject({
      host: { id: 'gitlab.acme.example' },
      owner: 'platform-team/infra',
      name: 'fleet-config',
    });
    expect(resolveRepoUrl(hosts, 'https://gitlab.acme.example/platform-team/infra/fleet-config.git')).toMatchObject({ owner: 'platform-team/infra', name: 'fleet-config' });
    expect(resolveRepoUrl(hosts, 'https://gitlab.acme.example/a/b/c/-/tree/main')).toMatchObject({ owner: 'a/b', name: 'c' });
    expect(resolveRepoUrl(hosts, 'https://tools.acme.example/gitlab/team/app')).toMatchObject({ host: { id: 'tools-gitlab' }, owner: 'team', name: 'app' });
    expect(resolveRepoUrl(hosts, 'https://tools.acme.example/other/team/app')).toBeNull();
    expect(resolveRepoUrl(hosts, 'https://gitlab.acme.example/solo')).toBeNull();
    expect(resolveRepoUrl(hosts, 'https://gitlab.acme.example/a/../b')).toBeNull(); // dot segments are resolved first, leaving no project
    expect(resolveRepoUrl(hosts, 'https://user:pw@gitlab.acme.example/a/b')).toBeNull();
    expect(resolveRepoUrl(hosts, 'https://elsewhere.example/a/b')).toBeNull();
    expect(resolveRepoUrl(hosts, 'https://gitlab.acme.example/g/..%2F..')).toBeNull();
  });

  it('resolves repository URLs on a loopback sandbox forge over plain http, and no other http', () => {
    const local = gitlabHost('http://127.0.0.1:8080', 'x');
    expect(resolveRepoUrl([local], 'http://127.0.0.1:8080/g/p')).toMatchObject({ owner: 'g', name: 'p' });
    expect(resolveRepoUrl([local], 'https://127.0.0.1:8080/g/p')).toBeNull();
    expect(resolveRepoUrl([gl], 'http://gitlab.acme.example/g/p')).toBeNull();
  });

  it('builds hosts from settings by type', () => {
    expect(forgeHostFrom({ type: 'github', webUrl: 'https://github.com', clientId: 'Iv1.abc' })).toMatchObject({ id: 'github.com', apiUrl: 'https://api.github.com' });
    expect(forgeHostFrom({ type: 'github', webUrl: 'https://ghe.acme.example', clientId: 'Iv1.abc', clientSecret: 's' })).toMatchObject({
      id: 'ghe.acme.example',
      apiUrl: 'https://ghe.acme.example/api/v3',
      clientSecret: 's',
    });
    expect(forgeHostFrom({ type: 'gitlab', webUrl: 'https://gitlab.com', clientId: 'uid', scopes: ['api'] })).toMatchObject({
      id: 'gitlab.com',
      type: 'gitlab',
      apiUrl: 'https://gitlab.com/api/v4',
      scopes: ['api'],
    });
    expect(forgeHostFrom({ type: 'gitlab', webUrl: 'https://tools.acme.example/gitlab', clientId: 'uid', id: 'tools' })).toMatchObject({ id: 'tools', webUrl: 'https://tools.acme.example/gitlab' });
    expect(() => forgeHostFrom({ type: 'gitea' as never, webUrl: 'https://x.example', clientId: 'c' })).toThrow(ForgeHostError);
  });
});
