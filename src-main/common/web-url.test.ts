import { describe, expect, it } from 'vitest';
import { isHttpsOrLoopback, isLoopbackHost, parseUrlWithoutCredentials } from './web-url';

describe('parseUrlWithoutCredentials', () => {
  it('parses a plain URL', () => {
    expect(parseUrlWithoutCredentials('https://git.example.com/a/b')?.pathname).toBe('/a/b');
  });

  it('refuses what does not parse and what carries a user or password', () => {
    expect(parseUrlWithoutCredentials('not a url')).toBeNull();
    expect(parseUrlWithoutCredentials('')).toBeNull();
    expect(parseUrlWithoutCredentials('https://user@git.example.com/a')).toBeNull();
    expect(parseUrlWithoutCredentials('https://user:secret@git.example.com/a')).toBeNull();
    expect(parseUrlWithoutCredentials('https://:secret@git.example.com/a')).toBeNull();
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8 and ::1, bracketed or not', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
  });

  it('refuses names and addresses that only look local', () => {
    expect(isLoopbackHost('localhost')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('[::2]')).toBe(false);
  });
});

describe('isHttpsOrLoopback', () => {
  it('allows https anywhere and http only to loopback', () => {
    expect(isHttpsOrLoopback(new URL('https://git.example.com'))).toBe(true);
    expect(isHttpsOrLoopback(new URL('http://127.0.0.1:8080'))).toBe(true);
    expect(isHttpsOrLoopback(new URL('http://[::1]:8080'))).toBe(true);
    expect(isHttpsOrLoopback(new URL('http://git.example.com'))).toBe(false);
    expect(isHttpsOrLoopback(new URL('javascript:alert(1)'))).toBe(false);
    expect(isHttpsOrLoopback(new URL('file:///etc/passwd'))).toBe(false);
  });
});
