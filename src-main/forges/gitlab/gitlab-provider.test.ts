import { describe, expect, it } from 'vitest';
import { checksStateOf, createGitLabProvider, gitlabErrorMessage, gitlabProjectId } from './gitlab-provider';

describe('GitLab provider helpers', () => {
  it('reads every shape of GitLab error body', () => {
    expect(gitlabErrorMessage({ message: '404 Project Not Found' }, 404)).toBe('404 Project Not Found');
    expect(gitlabErrorMessage({ message: ['Another open merge request already exists for this source branch: !3'] }, 409)).toBe('Another open merge request already exists for this source branch: !3');
    expect(gitlabErrorMessage({ message: { title: ["can't be blank"] } }, 400)).toBe("title can't be blank");
    expect(gitlabErrorMessage({ error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' }, 401)).toMatch(/revoked/);
    expect(gitlabErrorMessage({ error: 'ref is missing' }, 400)).toBe('ref is missing');
    expect(gitlabErrorMessage(undefined, 502)).toBe('HTTP 502');
  });

  it('maps pipeline statuses to the board vocabulary and encodes nested project paths', () => {
    expect(['success', 'skipped'].map(checksStateOf)).toEqual(['success', 'success']);
    expect(['failed', 'canceled'].map(checksStateOf)).toEqual(['failure', 'failure']);
    expect(['running', 'pending', 'created', 'manual'].map(checksStateOf)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(checksStateOf(undefined)).toBe('none');
    expect(gitlabProjectId({ owner: 'a/b', name: 'c' })).toBe('a%2Fb%2Fc');
  });

  it('never follows redirects and sends the token only as the chosen header', async () => {
    const seen: RequestInit[] = [];
    const fake = (async (_url: string | URL | Request, init?: RequestInit) => {
      seen.push(init ?? {});
      return new Response(JSON.stringify({ name: 'main', commit: { id: 'a'.repeat(40) } }), { status: 200 });
    }) as typeof fetch;
    const p = createGitLabProvider({ apiUrl: 'https://gitlab.example.com/api/v4/', token: 'glpat-secret', tokenHeader: 'private-token', fetch: fake });
    expect(await p.getBranchHead({ owner: 'g', name: 'p' }, 'main')).toEqual({ sha: 'a'.repeat(40) });
    expect(seen[0]?.redirect).toBe('error');
    expect(seen[0]?.headers).toMatchObject({ 'PRIVATE-TOKEN': 'glpat-secret' });
    expect(JSON.stringify(seen[0]?.headers)).not.toContain('Bearer');
  });

  it('refuses an empty commit before calling GitLab', async () => {
    const p = createGitLabProvider({ apiUrl: 'https://gitlab.example.com/api/v4', token: 't', fetch: (() => Promise.reject(new Error('no call expected'))) as typeof fetch });
    await expect(p.commitToBranch({ owner: 'g', name: 'p' }, { branch: 'b', parent: { sha: 'a' }, files: [], message: 'm', force: false })).rejects.toMatchObject({ kind: 'validation' });
  });
});
