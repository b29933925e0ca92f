// Server-side printing: kubectl's default output asks for meta.k8s.io/v1 Table. Columns come from
// the CRD's additionalPrinterColumns (evaluated with a small JSONPath subset) or, for core kinds,
// a fixed set close to the real server's.

import type { KubeObject } from '../seeds/types.js';
import type { PrinterColumn, ResourceType } from './resources.js';

/** Evaluates the JSONPath forms CRDs use: .a.b, .a[0], .a[*].b, .a[?(@.k=="v")].b */
export function evalJsonPath(obj: unknown, expr: string): unknown[] {
  let current: unknown[] = [obj];
  const tokens =
    expr
      .trim()
      .replace(/^\{|\}$/g, '')
      .match(/\.[^.[\]]+|\[[^\]]*\]/g) ?? [];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      if (token.startsWith('.')) {
        const v = (value as Record<string, unknown>)[token.slice(1)];
        if (v !== undefined) next.push(v);
        continue;
      }
      const inner = token.slice(1, -1);
      if (!Array.isArray(value)) continue;
      if (inner === '*') {
        next.push(...value);
        continue;
      }
      const filter = /^\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)$/.exec(inner);
      if (filter) {
        for (const item of value) {
          if (item !== null && typeof item === 'object' && String(evalJsonPath(item, `.${filter[1]!}`)[0]) === filter[2]) next.push(item);
        }
        continue;
      }
      const index = Number(inner);
      if (Number.isInteger(index)) {
        const v = value[index < 0 ? value.length + index : index];
        if (v !== undefined) next.push(v);
      }
    }
    current = next;
  }
  return current;
}

/** "5s", "3m", "2h", "4d" like kubectl's human durations. */
export function humanAge(timestamp: unknown, now = Date.now()): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

interface Column {
  definition: { name: string; type: string; format: string; description: string; priority: number };
  cell: (obj: KubeObject) => unknown;
}

function crdColumn(col: PrinterColumn): Column {
  return {
    definition: { name: col.name, type: col.type, format: col.format ?? '', description: col.description ?? '', priority: col.priority ?? 0 },
    cell: (obj) => {
      const values = evalJsonPath(obj, col.jsonPath);
      if (values.length === 0) return null;
      const v = values[0];
      if (col.type === 'date') return humanAge(v);
      if (typeof v === 'object') return JSON.stringify(v);
      return v;
    },
  };
}

const NAME: Column = {
  definition: { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  cell: (obj) => obj.metadata.name,
};
const AGE: Column = {
  definition: { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
  cell: (obj) => humanAge(obj.metadata.creationTimestamp),
};

function simple(name: string, cell: (obj: KubeObject) => unknown, type = 'string'): Column {
  return { definition: { name, type, format: '', description: name, priority: 0 }, cell };
}

function columnsFor(type: ResourceType, version: string): Column[] {
  if (type.custom) {
    const cols = type.printerColumns[version] ?? [];
    const hasAge = cols.some((c) => c.jsonPath === '.metadata.creationTimestamp');
    return [NAME, ...cols.map(crdColumn), ...(hasAge ? [] : [AGE])];
  }
  const count = (o: KubeObject): number => Object.keys((o.data as object | undefined) ?? {}).length + Object.keys((o.binaryData as object | undefined) ?? {}).length;
  switch (type.plural) {
    case 'namespaces':
      return [NAME, simple('Status', (o) => (o.status as { phase?: string } | undefined)?.phase ?? ''), AGE];
    case 'secrets':
      return [NAME, simple('Type', (o) => o.type ?? ''), simple('Data', count, 'integer'), AGE];
    case 'configmaps':
      return [NAME, simple('Data', count, 'integer'), AGE];
    case 'events':
      return [
        simple('Last Seen', (o) => humanAge(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp)),
        simple('Type', (o) => o.type ?? ''),
        simple('Reason', (o) => o.reason ?? ''),
        simple('Object', (o) => {
          const io = o.involvedObject as { kind?: string; name?: string } | undefined;
          return io ? `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}` : '';
        }),
        simple('Message', (o) => o.message ?? ''),
      ];
    case 'customresourcedefinitions':
      return [NAME, simple('Created At', (o) => o.metadata.creationTimestamp, 'date')];
    default:
      return [NAME, AGE];
  }
}

export function toTable(type: ResourceType, version: string, objects: KubeObject[], meta: Record<string, unknown>, includeObject: string): Record<string, unknown> {
  const columns = columnsFor(type, version);
  const rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: columns.map((c) => c.cell(obj)) };
    if (includeObject === 'Object') row.object = obj;
    else if (includeObject !== 'None') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions: columns.map((c) => c.definition), rows };
}
