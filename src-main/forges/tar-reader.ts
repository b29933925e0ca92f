// A small reader for the gzipped tar archives forges serve for a commit (`git archive`
// output): ustar headers, pax extended headers (long paths), GNU long names; regular files
// only. Reads from memory and returns only the entries a filter keeps.

import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

export interface TarFile {
  path: string;
  mode: number;
  content: Buffer;
}

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? slice.length : nul).toString('utf8');
}

function numeric(buf: Buffer, start: number, length: number): number {
  const first = buf[start] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for large values
    let n = 0;
    for (let i = 1; i < length; i++) n = n * 256 + (buf[start + i] ?? 0);
    return n;
  }
  const text = cString(buf, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const len = parseInt(data.subarray(at, space).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += len;
  }
  return out;
}

/** Parses an uncompressed tar; `keep(path, size)` decides which regular files are returned. */
export function readTar(tar: Buffer, keep: (path: string, size: number) => boolean): TarFile[] {
  const files: TarFile[] = [];
  let at = 0;
  let nextPath: string | undefined;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = numeric(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = at + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    at = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const pax = paxRecords(data);
      if (pax.path !== undefined) nextPath = pax.path;
      continue;
    }
    if (type === 'g') continue; // global header (git puts the commit id there)
    if (type === 'L') {
      nextPath = cString(data, 0, data.length);
      continue;
    }
    let path = nextPath;
    nextPath = undefined;
    if (path === undefined) {
      const name = cString(header, 0, 100);
      const magic = cString(header, 257, 6);
      const prefix = magic.startsWith('ustar') ? cString(header, 345, 155) : '';
      path = prefix ? `${prefix}/${name}` : name;
    }
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    if (keep(path, size)) files.push({ path, mode: numeric(header, 100, 8), content: Buffer.from(data) });
  }
  return files;
}

export async function readTarGz(gz: Buffer, keep: (path: string, size: number) => boolean): Promise<TarFile[]> {
  return readTar(await gunzipAsync(gz), keep);
}
