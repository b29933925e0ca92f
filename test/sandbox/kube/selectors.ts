// Label and field selectors as the API server parses them: equality (=, ==, !=), set-based
// (in, notin, exists, !exists) for labels, and metadata.name / metadata.namespace (plus any
// plain dotted path) for fields. Parsed once per request, matched per object.

import { badRequest } from './status.js';

type LabelRequirement = { op: 'eq' | 'neq'; key: string; value: string } | { op: 'in' | 'notin'; key: string; values: Set<string> } | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = LabelRequirement[];
export type FieldSelector = { key: string; op: 'eq' | 'neq'; value: string }[];

/** Splits on commas that are not inside parentheses ("a in (x,y),b" → two terms). */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

export function parseLabelSelector(selector: string | null | undefined): LabelSelector {
  if (!selector) return [];
  return splitTerms(selector).map((term): LabelRequirement => {
    let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = new Set(
        (m[3] ?? '')
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      );
      return { op: m[2] === 'in' ? 'in' : 'notin', key: m[1]!, values };
    }
    m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/.exec(term);
    if (m) return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1]!, value: m[3]! };
    m = /^!\s*([^\s!=()]+)$/.exec(term);
    if (m) return { op: 'notexists', key: m[1]! };
    m = /^([^\s!=()]+)$/.exec(term);
    if (m) return { op: 'exists', key: m[1]! };
    throw badRequest(`unable to parse requirement: ${term}`);
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const req of selector) {
    const value = labels?.[req.key];
    switch (req.op) {
      case 'eq':
        if (value !== req.value) return false;
        break;
      case 'neq':
        if (value === req.value) return false;
        break;
      case 'in':
        if (value === undefined || !req.values.has(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && req.values.has(value)) return false;
        break;
      case 'exists':
        if (value === undefined) return false;
        break;
      case 'notexists':
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

export function parseFieldSelector(selector: string | null | undefined): FieldSelector {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    return { key: m[1]!, op: m[2] === '!=' ? ('neq' as const) : ('eq' as const), value: m[3]!.trim() };
  });
}

function fieldValue(obj: Record<string, unknown>, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(selector: FieldSelector, obj: Record<string, unknown>): boolean {
  for (const req of selector) {
    const value = fieldValue(obj, req.key);
    if ((value === req.value) !== (req.op === 'eq')) return false;
  }
  return true;
}

/** The real server only accepts a few field labels per resource (metadata.name and metadata.namespace for custom resources). */
export function checkFieldSelectorSupported(selector: FieldSelector, extra: readonly string[] = []): void {
  for (const req of selector) {
    if (req.key !== 'metadata.name' && req.key !== 'metadata.namespace' && !extra.includes(req.key)) {
      throw badRequest(`field label not supported: ${req.key}`);
    }
  }
}
