// Test helper: a complete handler map where every channel answers 'not-implemented',
// with the handlers a test cares about overridden.
import { requestChannels } from '../common/ipc-contract';
import { err } from '../common/result';
import type { RequestHandlers } from './dispatcher';

export function stubHandlers(overrides: Partial<RequestHandlers>): RequestHandlers {
  const all = Object.fromEntries(requestChannels.map((c) => [c, () => err('not-implemented', `${c} is not implemented in this test`)]));
  return { ...all, ...overrides } as RequestHandlers;
}
