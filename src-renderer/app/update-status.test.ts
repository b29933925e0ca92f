import { describe, expect, it } from 'vitest';
import { updateStatus } from './update-status';

describe('update status in the status bar', () => {
  it('shows each state main reports', () => {
    expect(updateStatus({ state: 'checking' })).toEqual({ text: 'Checking for updates…', tone: 'busy' });
    expect(updateStatus({ state: 'available', version: '0.3.0' })?.text).toBe('Update 0.3.0 available — downloading…');
    expect(updateStatus({ state: 'downloading', version: '0.3.0', percent: 41.6 })?.text).toBe('Downloading update 0.3.0 (42%)');
    expect(updateStatus({ state: 'idle', lastCheckedAt: '2026-12-07T10:00:00Z' })).toEqual({ text: 'Up to date', tone: 'quiet' });
    expect(updateStatus({ state: 'ready', version: '0.3.0' })).toEqual({ text: 'Update ready (0.3.0)', tone: 'action', action: 'restart' });
    expect(updateStatus({ state: 'error', message: 'net::ERR_PROXY_CONNECTION_FAILED' })).toEqual({
      text: 'Update check failed: net::ERR_PROXY_CONNECTION_FAILED',
      tone: 'error',
      action: 'retry',
    });
  });

  it('says nothing before the first check, or where updates do not apply', () => {
    expect(updateStatus(null)).toBeNull();
    expect(updateStatus({ state: 'idle' })).toBeNull();
    expect(updateStatus({ state: 'disabled', message: 'Updates apply to the installed desktop app.' })).toBeNull();
  });

  it('keeps a wild progress value in range', () => {
    expect(updateStatus({ state: 'downloading', percent: 140 })?.text).toBe('Downloading update (100%)');
  });
});
