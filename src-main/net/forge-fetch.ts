// Every request to a Git forge (OAuth, REST, archives, avatars) has a deadline: a forge that
// accepts the connection and then never answers must not hang a promotion, a sign-in or the
// Tokens view. The caller's own AbortSignal still cancels earlier.

export const DEFAULT_FORGE_TIMEOUT_MS = 60_000;

export class ForgeTimeoutError extends Error {
  override readonly name = 'ForgeTimeoutError';
  constructor(url: string, ms: number) {
    super(`${url} did not answer within ${Math.round(ms / 1000)} s`);
  }
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`; // never the query: it may carry a code or a token
  } catch {
    return 'the forge';
  }
}

/** Wraps a fetch so every call gives up after `timeoutMs` (whole response, body included). */
export function withDeadline(fetchImpl: typeof fetch, timeoutMs = DEFAULT_FORGE_TIMEOUT_MS): typeof fetch {
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      return await fetchImpl(input, { ...init, signal });
    } catch (error) {
      if (deadline.aborted && !init?.signal?.aborted) throw new ForgeTimeoutError(urlOf(input), timeoutMs);
      throw error;
    }
  };
  return wrapped as typeof fetch;
}
