import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src-main/common/app-error';
import { presentError, waitWords } from './error-presenter';

describe('error presenter', () => {
  it('gives each code a title and an action, keeping main message and hint', () => {
    expect(presentError({ code: 'sign-in-required', message: 'You are not signed in to github.com.' })).toEqual({
      title: 'Sign in to continue',
      message: 'You are not signed in to github.com.',
      action: 'sign-in',
    });
    expect(presentError({ code: 'no-access', message: 'm', hint: 'Ask for write access.' })).toMatchObject({ action: 'retry', hint: 'Ask for write access.' });
    expect(presentError({ code: 'kubeconfig-missing', message: 'm' })).toMatchObject({ action: 'open-settings', hint: expect.stringMatching(/KUBECONFIG/) });
  });

  it('says how long to wait when a forge rate-limits', () => {
    expect(presentError({ code: 'rate-limited', message: 'm', retryAfterSeconds: 150 })).toMatchObject({ action: 'wait', waitFor: '3 min' });
    expect(waitWords(45)).toBe('45 s');
  });

  it('still says something for a code it does not know (an older main, a bad answer)', () => {
    const unknown = { code: 'from-the-future', message: 'm' } as unknown as AppError;
    expect(presentError(unknown)).toMatchObject({ title: 'Something went wrong', message: 'm', action: 'retry' });
  });
});
