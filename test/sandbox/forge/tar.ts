// Minimal ustar writer for the forge's tarball endpoint: GitHub serves `git archive`
// output (a pax global header carrying the commit sha, then `<owner>-<repo>-<sha7>/...`
// entries), gzipped. Only regular files and directories are needed here.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  path: string; // directories end with '/'
  content?: Buffer;
  mode?: number;
  mtime?: number; // unix seconds
}

function octal(value: number, width: number): string {
  // width includes the trailing NUL
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number, mtime: number, typeflag: string): Buffer {
  const h = Buffer.alloc(512, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long names at a '/' into prefix (155) + name (100)
    const cut = name.lastIndexOf('/', name.length - 2);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100 || Buffer.byteLength(name.slice(0, cut)) > 155) {
      throw new Error(`tar: path too long for ustar: ${name}`);
    }
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii'); // uid
  h.write(octal(0, 8), 116, 8, 'ascii'); // gid
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(mtime, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii'); // checksum placeholder: spaces while summing
  h.write(typeflag, 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write('root', 265, 32, 'ascii');
  h.write('root', 297, 32, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

function pad(size: number): Buffer {
  const rest = size % 512;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(512 - rest, 0);
}

/** A pax record is "<len> key=value\n" where len counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

export function writeTar(entries: TarEntry[], globalComment?: string): Buffer {
  const parts: Buffer[] = [];
  // an archive's time is its commit's, carried by the entries: nothing here reads a clock
  const archiveTime = entries[0]?.mtime ?? 0;
  if (globalComment !== undefined) {
    const data = Buffer.from(paxRecord('comment', globalComment), 'utf8');
    parts.push(header('pax_global_header', data.length, 0o666, archiveTime, 'g'), data, pad(data.length));
  }
  for (const e of entries) {
    const mtime = e.mtime ?? archiveTime;
    if (e.path.endsWith('/')) {
      parts.push(header(e.path, 0, e.mode ?? 0o775, mtime, '5'));
    } else {
      const data = e.content ?? Buffer.alloc(0);
      parts.push(header(e.path, data.length, e.mode ?? 0o664, mtime, '0'), data, pad(data.length));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

export function writeTarGz(entries: TarEntry[], globalComment?: string): Buffer {
  return gzipSync(writeTar(entries, globalComment));
}
