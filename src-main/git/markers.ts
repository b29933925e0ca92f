// Promotion markers in YAML: find every scalar whose line comment is exactly
// `# {"$promotion": "<ns>:<name>:<env>"}` and replace only that scalar's text, leaving every
// other byte of the file as it was (quotes, comments, indentation, CRLF, other documents).
//
// How: the yaml library's lexer finds real comments (a `#` inside a quoted string or a block
// scalar is not one), its parser gives each scalar's exact source range, and the edit splices
// the source text, so nothing is re-serialised. A marker is only honoured when it directly
// follows a single-line plain or quoted scalar on the same line; a marker anywhere else (after
// a block scalar header, an alias, an empty value, a key, inside a flow mapping entry) is
// refused with its line number rather than guessed at. Every edited file is re-parsed and
// checked before it is accepted.

import { CST, isAlias, isScalar, Lexer, parse as parseYaml, parseAllDocuments, Scalar, visit, type Document } from 'yaml';
import type { LineChange } from '../common/promotion';
import { promotionMarker, promotionMarkerKey } from '../common/promotion-naming';

export { promotionMarker, promotionMarkerKey };

export type MarkerErrorCode = 'marker-unsupported' | 'yaml-invalid';

export class MarkerError extends Error {
  override readonly name = 'MarkerError';
  constructor(
    readonly code: MarkerErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export interface MarkerComment {
  /** offset of the '#' */
  offset: number;
  /** 1-based line */
  line: number;
  /** the "<ns>:<name>:<env>" value */
  key: string;
}

export interface MarkerEditResult {
  content: string;
  changes: LineChange[];
  /** the values the marked scalars had before (for the PR summary) */
  previousValues: string[];
}

const CONTROL_TOKENS = new Set(['\u0002', '\u001f', '\u0018']);

function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lineText(src: string, starts: number[], line: number): string {
  const start = starts[line - 1] ?? 0;
  const next = starts[line];
  const raw = next === undefined ? src.slice(start) : src.slice(start, next - 1);
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/** The marker value of a comment token, or undefined when the comment is not exactly a marker. */
export function parseMarkerComment(comment: string): string | undefined {
  if (!comment.startsWith('#')) return undefined;
  const body = comment.slice(1).trim();
  if (!body.startsWith('{') || !body.endsWith('}') || !body.includes('$promotion')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const keys = Object.keys(parsed);
  const value = (parsed as Record<string, unknown>).$promotion;
  return keys.length === 1 && typeof value === 'string' ? value : undefined;
}

/** Every promotion marker comment in the file (any pipeline, any env). */
export function findMarkerComments(src: string): MarkerComment[] {
  if (!src.includes('$promotion')) return [];
  const starts = lineStarts(src);
  const found: MarkerComment[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(src)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (CST.tokenType(token) === 'comment') {
      const key = parseMarkerComment(token);
      if (key !== undefined) found.push({ offset, line: lineOf(starts, offset), key });
    }
    offset += token.length;
  }
  return found;
}

export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function isPlainSafe(text: string): boolean {
  // conservative: characters that can never start an indicator or end a plain scalar early
  if (!/^[A-Za-z0-9_./+@][A-Za-z0-9_./+@:=~-]*$/.test(text)) return false;
  if (/:$/.test(text)) return false;
  return true;
}

function renderScalar(node: Scalar, original: string, version: string): string {
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      return `"${version.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    case Scalar.QUOTE_SINGLE:
      return `'${version.replace(/'/g, "''")}'`;
    case Scalar.PLAIN:
    default: {
      let reparsed: unknown;
      try {
        reparsed = parseYaml(version);
      } catch {
        reparsed = undefined;
      }
      const keepsType = typeof reparsed === 'string' ? reparsed === version : typeof node.value !== 'string';
      if (isPlainSafe(version) && keepsType) return version;
      // a plain 1.10 would read back as the number 1.1: quote rather than change the value
      void original;
      return `"${version.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    }
  }
}

interface ScalarSite {
  node: Scalar;
  isKey: boolean;
  start: number;
  valueEnd: number;
}

function documentsOf(src: string): Document[] {
  const docs = parseAllDocuments(src);
  return Array.isArray(docs) ? docs : [];
}

/**
 * Sets every scalar carrying the marker `key` to `version`. Returns the new content and the
 * changed lines (empty when the file has no such marker). Throws MarkerError when a marker
 * sits somewhere it cannot be edited safely or the file is not valid YAML.
 */
export function applyPromotionMarker(src: string, key: string, version: string): MarkerEditResult {
  const markers = findMarkerComments(src).filter((m) => m.key === key);
  if (markers.length === 0) return { content: src, changes: [], previousValues: [] };
  if (version === '' || hasControlCharacters(version)) throw new MarkerError('marker-unsupported', 'the version is empty or contains control characters');

  const docs = documentsOf(src);
  const firstError = docs.flatMap((d) => d.errors)[0];
  if (firstError) throw new MarkerError('yaml-invalid', `the file is not valid YAML: ${firstError.message.split('\n')[0]}`, firstError.linePos?.[0]?.line);

  const byValueEnd = new Map<number, ScalarSite>();
  const aliasEnds = new Set<number>();
  for (const doc of docs) {
    visit(doc, {
      Scalar(k, node) {
        if (!node.range) return;
        const [start, valueEnd] = node.range;
        byValueEnd.set(valueEnd, { node, isKey: k === 'key', start, valueEnd });
      },
      Alias(_k, node) {
        if (isAlias(node) && node.range) aliasEnds.add(node.range[1]);
      },
    });
  }

  const starts = lineStarts(src);
  const edits: { start: number; end: number; text: string; line: number }[] = [];
  const previousValues: string[] = [];
  for (const m of markers) {
    let p = m.offset;
    while (p > 0 && (src[p - 1] === ' ' || src[p - 1] === '\t')) p--;
    const where = `line ${m.line}`;
    if (p === m.offset || p === 0 || src[p - 1] === '\n' || src[p - 1] === '\r') {
      throw new MarkerError('marker-unsupported', `the marker on ${where} is not on the same line as a value`, m.line);
    }
    const site = byValueEnd.get(p);
    if (!site) {
      if (aliasEnds.has(p)) throw new MarkerError('marker-unsupported', `the marker on ${where} follows an alias; put it on the anchored value instead`, m.line);
      throw new MarkerError('marker-unsupported', `the marker on ${where} does not follow a plain or quoted value (block scalar, empty value or flow mapping entry?)`, m.line);
    }
    if (site.isKey) throw new MarkerError('marker-unsupported', `the marker on ${where} follows a mapping key, not a value`, m.line);
    if (!isScalar(site.node) || (site.node.type !== Scalar.PLAIN && site.node.type !== Scalar.QUOTE_DOUBLE && site.node.type !== Scalar.QUOTE_SINGLE)) {
      throw new MarkerError('marker-unsupported', `the marker on ${where} follows a block scalar`, m.line);
    }
    const original = src.slice(site.start, site.valueEnd);
    if (original === '' || /[\r\n]/.test(original)) {
      throw new MarkerError('marker-unsupported', `the marker on ${where} follows an empty or multi-line value`, m.line);
    }
    if (lineOf(starts, site.start) !== m.line) throw new MarkerError('marker-unsupported', `the value marked on ${where} starts on another line`, m.line);
    const text = renderScalar(site.node, original, version);
    previousValues.push(String(site.node.value));
    if (text !== original) edits.push({ start: site.start, end: site.valueEnd, text, line: m.line });
  }

  if (edits.length === 0) return { content: src, changes: [], previousValues };
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += src.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += src.slice(at);

  verifyEdit(src, out, key, version, edits);
  const newStarts = lineStarts(out);
  const lines = [...new Set(edits.map((e) => e.line))];
  return {
    content: out,
    changes: lines.map((line) => ({ line, before: lineText(src, starts, line), after: lineText(out, newStarts, line) })),
    previousValues,
  };
}

/** Re-parses the edited text: still valid, same markers, and each edited scalar now reads as the version. */
function verifyEdit(before: string, after: string, key: string, version: string, edits: { start: number; end: number; text: string }[]): void {
  const docs = documentsOf(after);
  if (docs.length !== documentsOf(before).length || docs.some((d) => d.errors.length > 0)) {
    throw new MarkerError('marker-unsupported', 'editing the marked value would break the file; nothing was changed');
  }
  const oldMarkers = findMarkerComments(before)
    .map((m) => m.key)
    .join('\n');
  const newMarkers = findMarkerComments(after)
    .map((m) => m.key)
    .join('\n');
  if (oldMarkers !== newMarkers) throw new MarkerError('marker-unsupported', 'editing the marked value would change the markers; nothing was changed');
  const expectedStarts = new Set<number>();
  let shift = 0;
  for (const e of edits) {
    expectedStarts.add(e.start + shift);
    shift += e.text.length - (e.end - e.start);
  }
  const seen = new Set<number>();
  for (const doc of docs) {
    visit(doc, {
      Scalar(_k, node) {
        if (!node.range || !expectedStarts.has(node.range[0])) return;
        const value = node.value;
        if (String(value) !== version && !(typeof value === 'number' && Number(version) === value)) {
          throw new MarkerError('marker-unsupported', `after the edit the value reads ${String(value)}, not ${version}; nothing was changed`);
        }
        seen.add(node.range[0]);
      },
    });
  }
  if (seen.size !== expectedStarts.size) throw new MarkerError('marker-unsupported', `could not verify the edit of marker ${key}; nothing was changed`);
}
