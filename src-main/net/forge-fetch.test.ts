import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForgeTimeoutError, withDeadline } from './forge-fetch';

let server: Server;
let base: string;

beforeAll(async () => {
  // answers /fast at once; /stall accepts the request and never answers
  server = createServer((req, res) => {
    if (req.url?.startsWith('/fast')) res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('forge fetch with a deadline', () => {
  it('passes answers through', async () => {
    expect(await (await withDeadline(fetch, 5000)(`${base}/fast`)).text()).toBe('ok');
  });

  it('gives up on a forge that never answers, naming the URL without its query', async () => {
    const error = await withDeadline(fetch, 200)(`${base}/stall?code=secret-code`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeTimeoutError);
    expect((error as Error).message).toBe(`${base}/stall did not answer within 0 s`);
    expect((error as Error).message).not.toContain('secret-code');
  });

  it('still lets the caller cancel first', async () => {
    const controller = new AbortController();
    const pending = withDeadline(fetch, 60_000)(`${base}/stall`, { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });
});
