// The contract's completeness is checked by the compiler: these declarations only compile
// while a missing handler or schema is an error (the typecheck step fails otherwise).
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { eventChannels, requestChannels } from '../common/ipc-contract';
import { ok } from '../common/result';
import type { RequestHandlers } from './dispatcher';
import { requestSchemas, type RequestSchemas } from './schemas';

// @ts-expect-error — a handler map without 'board:subscribe' must not compile
export const incompleteHandlers: RequestHandlers = { 'app:get-info': () => ok({} as never) };
// @ts-expect-error — a schema map without 'board:subscribe' must not compile
export const incompleteSchemas: RequestSchemas = { 'app:get-info': z.undefined() };

describe('IPC contract', () => {
  it('has a schema for every request channel at run time too', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...requestChannels].sort());
  });

  it('names channels domain:verb-noun, events in the past tense', () => {
    for (const c of requestChannels) expect(c).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    for (const c of eventChannels) expect(c).toMatch(/^[a-z]+:([a-z]+-)*[a-z]+ed$/);
  });
});
