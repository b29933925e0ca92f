import { describe, expect, it } from 'vitest';
import { environmentForgeHosts, forgeHostsFromConfig } from './forge-hosts';

describe('forge hosts from configuration', () => {
  it('builds github.com, GHES and GitLab hosts', () => {
    const { hosts, problems } = forgeHostsFromConfig({
      env: {
        RELEASE_BOARD_GITHUB_CLIENT_ID: 'Iv1.abc',
        RELEASE_BOARD_FORGE_HOSTS: JSON.stringify([
          { type: 'github', webUrl: 'https://ghe.acme.example', clientId: 'Iv1.ghe', clientSecret: 's' },
          { type: 'gitlab', webUrl: 'https://gitlab.acme.example', clientId: 'gl-app' },
        ]),
      },
    });
    expect(problems).toEqual([]);
    expect(hosts.map((h) => [h.id, h.type, h.apiUrl])).toEqual([
      ['github.com', 'github', 'https://api.github.com'],
      ['ghe.acme.example', 'github', 'https://ghe.acme.example/api/v3'],
      ['gitlab.acme.example', 'gitlab', 'https://gitlab.acme.example/api/v4'],
    ]);
  });

  it('reports bad entries and keeps the good ones', () => {
    const { hosts, problems } = forgeHostsFromConfig({
      env: {
        RELEASE_BOARD_FORGE_HOSTS: JSON.stringify([
          { webUrl: 'not a url', clientId: 'x' },
          { webUrl: 'http://ghe.acme.example', clientId: 'x' },
          { webUrl: 'https://ok.example', clientId: 'y' },
        ]),
      },
    });
    expect(hosts.map((h) => h.id)).toEqual(['ok.example']);
    expect(problems).toHaveLength(2);
    expect(problems.join(' ')).toMatch(/ignored/);
  });

  it('says so when the variable is not JSON', () => {
    expect(forgeHostsFromConfig({ env: { RELEASE_BOARD_FORGE_HOSTS: '{oops' } }).problems[0]).toMatch(/not valid JSON/);
  });

  it('has no hosts without configuration: sign-in then explains what to configure', () => {
    expect(forgeHostsFromConfig({ env: {} })).toEqual({ hosts: [], problems: [] });
  });

  it('lists the hosts the environment configures, with their variable and without any secret', () => {
    const listed = environmentForgeHosts({
      RELEASE_BOARD_GITHUB_CLIENT_ID: 'Iv1.abc',
      RELEASE_BOARD_GITHUB_CLIENT_SECRET: 'top-secret',
      RELEASE_BOARD_FORGE_HOSTS: JSON.stringify([{ type: 'gitlab', webUrl: 'https://gitlab.acme.example', clientId: 'gl-app', clientSecret: 'gl-secret' }]),
    });
    expect(listed).toEqual([
      { id: 'github.com', type: 'github', webUrl: 'https://github.com', clientId: 'Iv1.abc', variable: 'RELEASE_BOARD_GITHUB_CLIENT_ID' },
      { id: 'gitlab.acme.example', type: 'gitlab', webUrl: 'https://gitlab.acme.example', clientId: 'gl-app', variable: 'RELEASE_BOARD_FORGE_HOSTS' },
    ]);
    expect(JSON.stringify(listed)).not.toContain('secret');
    expect(environmentForgeHosts({})).toEqual([]);
  });
});
