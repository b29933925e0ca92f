import { describe, expect, it } from 'vitest';
import { startupFailureText } from './startup-failure';

describe('start-up failure dialog', () => {
  it('says what failed and where the log is', () => {
    const text = startupFailureText(new Error('settings.json is not valid JSON'), '/home/u/.config/Release Board/logs/main.log');
    expect(text.title).toBe('Release Board could not start');
    expect(text.content).toContain('settings.json is not valid JSON');
    expect(text.content).toContain('/home/u/.config/Release Board/logs/main.log');
  });

  it('copes with a thrown non-error', () => {
    expect(startupFailureText('disk full', '/l').content.startsWith('disk full')).toBe(true);
  });
});
