import { describe, expect, it } from 'vitest';
import { isHttpsOrLoopback, isLoopbackHost, parseUrlWithoutCredentials } from './web-url';

describe('parseUrlWithoutCredentials', () => {
  it('parses a plain URL', () => {
    expect(parseUrlWithoutCredentials('https://git.example.com/a/b')?.pathname).toBe('/a/b');
  });

  it.each(['not a url', '', 'https://user@git.example.com/a', 'https://user:secret@git.example.com/a', 'https://:secret@git.example.com/a'])('refuses %j', (raw) =>
    expect(parseUrlWithoutCredentials(raw)).toBeNull(),
  );
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['::1', true],
    // names and addresses that only look local
    ['localhost', false],
    ['127.0.0.1.evil.example', false],
    ['10.0.0.1', false],
    ['[::2]', false],
  ])('%s → %s', (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));
});

describe('isHttpsOrLoopback', () => {
  it.each([
    ['https://git.example.com', true],
    ['http://127.0.0.1:8080', true],
    ['http://[::1]:8080', true],
    ['http://git.example.com', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
  ])('%s → %s', (raw, allowed) => expect(isHttpsOrLoopback(new URL(raw))).toBe(allowed));
});
