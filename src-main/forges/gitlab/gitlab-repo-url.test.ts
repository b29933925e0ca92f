import { describe, expect, it } from 'vitest';
import { gitlabProjectFromUrl } from './gitlab-repo-url';

describe('gitlabProjectFromUrl', () => {
  it('keeps nested groups and drops .git and /-/ page suffixes', () => {
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://gitlab.com/platform-team/infra/fleet-config')).toEqual({
      owner: 'platform-team/infra',
      name: 'fleet-config',
      path: 'platform-team/infra/fleet-config',
      webUrl: 'https://gitlab.com/platform-team/infra/fleet-config',
    });
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://gitlab.com/a/b.git')?.path).toBe('a/b');
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://gitlab.com/a/b/c/-/tree/main/apps')?.path).toBe('a/b/c');
  });

  it('honours a relative URL root and loopback http, and refuses other instances and shapes', () => {
    expect(gitlabProjectFromUrl('https://example.com/gitlab', 'https://example.com/gitlab/g/p')?.webUrl).toBe('https://example.com/gitlab/g/p');
    expect(gitlabProjectFromUrl('https://example.com/gitlab', 'https://example.com/g/p')).toBeNull();
    expect(gitlabProjectFromUrl('http://127.0.0.1:8080', 'http://127.0.0.1:8080/g/p')?.path).toBe('g/p');
    expect(gitlabProjectFromUrl('http://gitlab.internal', 'http://gitlab.internal/g/p')).toBeNull();
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://gitlab.example.com/g/p')).toBeNull();
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://gitlab.com/only-one')).toBeNull();
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://user:pw@gitlab.com/g/p')).toBeNull();
    expect(gitlabProjectFromUrl('https://gitlab.com', 'https://gitlab.com/g/..%2F..')).toBeNull();
  });
});
