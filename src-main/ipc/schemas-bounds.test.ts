// Main never trusts the renderer, including with sheer size: every string, list and map a
// request may carry has an upper bound. Read from the schema source so a new unbounded field
// fails here, not in production.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_ROWS } from '../common/promotion';
import { requestSchemas } from './schemas';

const source = readFileSync(path.join(import.meta.dirname, 'schemas.ts'), 'utf8');

/** Each `z.string(`, `z.array(` and `.record(` call with the rest of its chain (up to the next comma or newline at depth 0). */
function chains(kind: RegExp): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(kind)) {
    let depth = 0;
    let end = m.index;
    for (; end < source.length; end++) {
      const c = source[end];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === ';') && depth === 0) break;
    }
    out.push(source.slice(m.index, end).replace(/\s+/g, ''));
  }
  return out;
}

describe('IPC payload bounds', () => {
  it('bounds every string', () => {
    const strings = chains(/z\.string\(\)/g);
    expect(strings.length).toBeGreaterThan(8);
    for (const chain of strings) expect(chain, chain).toMatch(/\.max\(\d+\)|\.uuid\(\)/);
  });

  it('bounds every list and map', () => {
    for (const chain of chains(/z\s*\.array\(/g)) expect(chain, chain).toMatch(/\)\.max\(\d+\)/);
    const records = chains(/\.record\(/g);
    expect(records.length).toBeGreaterThan(0);
    for (const chain of records) expect(chain, chain).toMatch(/\.refine\(\(r\)=>Object\.keys\(r\)\.length<=\d+/);
  });

  it('refuses an oversized payload at run time too', () => {
    expect(requestSchemas['promotion:plan'].safeParse({ pipelineId: 'a/'.padEnd(10_000, 'x'), targetEnv: 'prod' }).success).toBe(false);
    expect(requestSchemas['settings:update'].safeParse({ approvedForgeHosts: Array.from({ length: 201 }, (_, i) => `h${i}.example`) }).success).toBe(false);
  });

  it('bounds a batch promotion to MAX_BATCH_ROWS rows, each shaped like promotion:plan', () => {
    const row = (i: number) => ({ pipelineId: `team/app-${i}`, targetEnv: 'prod' });
    const batch = requestSchemas['promotion:plan-batch'];
    expect(batch.safeParse({ rows: Array.from({ length: MAX_BATCH_ROWS }, (_, i) => row(i)) }).success).toBe(true);
    expect(batch.safeParse({ rows: Array.from({ length: MAX_BATCH_ROWS + 1 }, (_, i) => row(i)) }).success).toBe(false);
    expect(batch.safeParse({ rows: [] }).success).toBe(false);
    expect(batch.safeParse({ rows: [{ ...row(1), version: '9.9.9' }] }).success).toBe(false);
    expect(batch.safeParse({ rows: [{ ...row(1), revision: '1.2.3' }] }).success).toBe(true);
    expect(requestSchemas['promotion:apply-batch'].safeParse({ batchId: 'not-a-uuid' }).success).toBe(false);
  });
});
