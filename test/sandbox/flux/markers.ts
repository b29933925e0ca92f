// The pure half of the Flux simulator: find `# {"$promotion": "ns:name:env"}` marker lines in
// YAML text and work out which promoted values a commit changed. Line-based on purpose: the
// promotion contract is about marked scalar lines, and a real Flux would simply apply whatever
// the new text says, so the simulator only needs (ns, name, env) → new value.

export interface PromotionMarkerRef {
  namespace: string;
  name: string;
  env: string;
}

export interface MarkerOccurrence extends PromotionMarkerRef {
  /** 0-based line number */
  line: number;
  /** the mapping key on that line, if any (`version`, `tag`, ...) */
  key: string | null;
  /** the scalar value with YAML quotes removed */
  value: string;
}

export interface MarkerChange extends PromotionMarkerRef {
  from: string;
  to: string;
  path?: string;
}

/** Index of the `#` that starts a YAML comment on this line, or -1 (quotes are respected). */
function commentStart(line: string): number {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') quote = null;
    } else if (quote === "'") {
      if (ch === "'") {
        if (line[i + 1] === "'") i++;
        else quote = null;
      }
    } else if (ch === '"' || ch === "'") {
      // quotes only open a scalar at its start; `it's` inside a plain scalar is just text
      const prev = line.slice(0, i).trimEnd();
      if (prev === '' || prev.endsWith(':') || prev.endsWith('-') || prev.endsWith('[') || prev.endsWith(',')) quote = ch;
    } else if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      return i;
    }
  }
  return -1;
}

/** Parses a comment body as a promotion marker: `{"$promotion": "ns:name:env"}`. */
export function parseMarkerComment(comment: string): PromotionMarkerRef | null {
  const text = comment.trim();
  if (!text.startsWith('{') || !text.includes('$promotion')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const value = (parsed as Record<string, unknown>).$promotion;
  if (typeof value !== 'string') return null;
  const parts = value.split(':');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return null;
  const [namespace, name, env] = parts as [string, string, string];
  return { namespace, name, env };
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

/** Splits `  - key: value` / `key: value` / `- value` into key and scalar text. */
function keyAndValue(content: string): { key: string | null; raw: string } {
  let rest = content.trim();
  if (rest.startsWith('- ')) rest = rest.slice(2).trimStart();
  const keyMatch = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#][^:#]*?)\s*:(?:\s+|$)/.exec(rest);
  if (keyMatch) return { key: unquote(keyMatch[1] ?? ''), raw: rest.slice(keyMatch[0].length).trim() };
  return { key: null, raw: rest };
}

/** Every marked scalar line in a YAML text, in line order. */
export function parsePromotionMarkers(text: string): MarkerOccurrence[] {
  const out: MarkerOccurrence[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.includes('$promotion')) return;
    const at = commentStart(line);
    if (at < 0) return;
    const ref = parseMarkerComment(line.slice(at + 1));
    if (!ref) return;
    const { key, raw } = keyAndValue(line.slice(0, at));
    if (raw === '') return; // a marker on a line with no scalar marks nothing
    out.push({ ...ref, line: index, key, value: unquote(raw) });
  });
  return out;
}

export function markerKey(ref: PromotionMarkerRef): string {
  return `${ref.namespace}:${ref.name}:${ref.env}`;
}

/**
 * Marked values that a change to one file altered. Occurrences of the same marker are paired
 * in line order; markers that appear or disappear (new files, initial commits) are not
 * promotions and are ignored.
 */
export function diffPromotionMarkers(before: string | null | undefined, after: string | null | undefined): MarkerChange[] {
  if (before == null || after == null) return [];
  const group = (occurrences: MarkerOccurrence[]) => {
    const byKey = new Map<string, MarkerOccurrence[]>();
    for (const o of occurrences) {
      const k = markerKey(o);
      const list = byKey.get(k) ?? [];
      list.push(o);
      byKey.set(k, list);
    }
    return byKey;
  };
  const old = group(parsePromotionMarkers(before));
  const changes: MarkerChange[] = [];
  for (const [k, next] of group(parsePromotionMarkers(after))) {
    const prev = old.get(k);
    if (!prev) continue;
    next.forEach((o, i) => {
      const p = prev[i];
      if (p && p.value !== o.value) changes.push({ namespace: o.namespace, name: o.name, env: o.env, from: p.value, to: o.value });
    });
  }
  return changes;
}

/**
 * The promotions a commit carries: one per (ns, name, env). When several lines for the same
 * marker changed (multi-target environments), the last one in path order wins, which is
 * what a Flux applying the files one after another would end up with.
 */
export function promotionsFromChangedFiles(files: { path: string; before: string | null; after: string | null }[]): MarkerChange[] {
  const byKey = new Map<string, MarkerChange>();
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const change of diffPromotionMarkers(f.before, f.after)) byKey.set(markerKey(change), { ...change, path: f.path });
  }
  return [...byKey.values()];
}
