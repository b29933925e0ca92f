// Bounded concurrency: at most `limit` calls of `fn` in flight, results in input order. Used
// wherever main fans out to a forge or a cluster (token checks, batch PRs, merged-PR approvals),
// so none of them floods a rate-limited API.

export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
  return out;
}

/** mapBounded for work that answers nothing. */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  await mapBounded(items, limit, work);
}
