// A memo for pure functions of strings that a board calls with the same few hundred values tens
// of thousands of times per build (revisions, versions, repository URLs). Bounded: when full it
// starts over rather than growing with whatever a cluster sends.

export function boundedMemo<V>(max: number, compute: (key: string) => V): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as V;
    if (known.size >= max) known.clear();
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}
