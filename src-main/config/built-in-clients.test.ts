import { describe, expect, it } from 'vitest';
import { builtInClients, withBuiltInClients } from './built-in-clients';
import { forgeHostsFromConfig } from './forge-hosts';

describe('built-in OAuth clients of a release build', () => {
  it('are absent outside a build that defines them', () => {
    expect(builtInClients()).toEqual({});
  });

  it('add github.com and GitLab.com sign-in to the forge hosts', () => {
    const env = withBuiltInClients({}, { github: 'Iv1.public', gitlab: 'gl-public-id' });
    const { hosts, problems } = forgeHostsFromConfig({ env });
    expect(problems).toEqual([]);
    expect(hosts.map((h) => [h.type, h.webUrl, h.clientId])).toEqual([
      ['github', 'https://github.com', 'Iv1.public'],
      ['gitlab', 'https://gitlab.com', 'gl-public-id'],
    ]);
  });

  it('never override what the user configured', () => {
    const env = withBuiltInClients(
      { RELEASE_BOARD_GITHUB_CLIENT_ID: 'mine', RELEASE_BOARD_FORGE_HOSTS: JSON.stringify([{ type: 'gitlab', webUrl: 'https://gitlab.com/', clientId: 'my-gitlab' }]) },
      { github: 'Iv1.public', gitlab: 'gl-public-id' },
    );
    expect(env['RELEASE_BOARD_GITHUB_CLIENT_ID']).toBe('mine');
    expect(JSON.parse(env['RELEASE_BOARD_FORGE_HOSTS']!)).toEqual([{ type: 'gitlab', webUrl: 'https://gitlab.com/', clientId: 'my-gitlab' }]);
  });

  it('leave a broken RELEASE_BOARD_FORGE_HOSTS for the reader to report', () => {
    expect(withBuiltInClients({ RELEASE_BOARD_FORGE_HOSTS: '[oops' }, { gitlab: 'x' })['RELEASE_BOARD_FORGE_HOSTS']).toBe('[oops');
  });
});
