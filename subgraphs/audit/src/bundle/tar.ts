// A minimal POSIX ustar writer and reader for audit bundles: a handful of regular files, written
// deterministically (fixed mode, owner and mtime, so the same content gives the same archive and
// SHA-256), gzip'd; any standard `tar -xzf` reads them, and the reader accepts what GNU or BSD tar
// writes back (directories and PAX headers are skipped).
import { gunzipSync, gzipSync } from 'node:zlib';

const BLOCK = 512;

/** One regular file of an archive. */
export interface TarFile {
  name: string;
  content: Buffer;
}

function writeField(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'ascii');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function headerOf(file: TarFile, mtime: Date): Buffer {
  const name = Buffer.from(file.name, 'utf8');
  if (name.length === 0 || name.length > 100)
    throw new Error(`tar: file name must be 1 to 100 bytes: ${file.name}`);
  const header = Buffer.alloc(BLOCK);
  name.copy(header, 0);
  writeField(header, 100, 8, octal(0o644, 8));
  writeField(header, 108, 8, octal(0, 8));
  writeField(header, 116, 8, octal(0, 8));
  writeField(header, 124, 12, octal(file.content.length, 12));
  writeField(header, 136, 12, octal(Math.floor(mtime.getTime() / 1000), 12));
  writeField(header, 148, 8, ' '.repeat(8)); // the checksum counts its own field as spaces
  writeField(header, 156, 1, '0');
  writeField(header, 257, 6, 'ustar\0');
  writeField(header, 263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  writeField(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/**
 * A gzip'd ustar archive of `files` in the given order, every entry with mode 0644, owner 0 and
 * modification time `mtime`, so equal inputs give byte-equal archives.
 *
 * @throws Error when a name is empty or longer than 100 bytes.
 */
export function writeTarGz(files: readonly TarFile[], mtime: Date): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(headerOf(file, mtime), file.content);
    const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    if (padding) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function readOctal(block: Buffer, offset: number, length: number, what: string): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`tar: malformed ${what} field`);
  return text ? parseInt(text, 8) : 0;
}

/** Limits that keep a hostile archive from exhausting memory. */
export interface TarLimits {
  /** Most bytes the archive may inflate to (default 2 GiB). */
  maxBytes?: number;
  /** Most entries (default 1000). */
  maxEntries?: number;
}

/**
 * The regular files of a gzip'd tar archive by name (a leading `./` dropped). Directories, PAX
 * and GNU long-name headers are skipped; a repeated name is refused (an archive could otherwise
 * show one content to `tar` and another to this reader).
 *
 * @throws Error when the data is not gzip, a header's checksum does not match, the archive is
 *   truncated, a name repeats, or a limit is exceeded.
 */
export function readTarGz(archive: Buffer, limits: TarLimits = {}): Map<string, Buffer> {
  const tar = gunzipSync(archive, { maxOutputLength: limits.maxBytes ?? 2 ** 31 });
  const files = new Map<string, Buffer>();
  const maxEntries = limits.maxEntries ?? 1000;
  let offset = 0;
  let entries = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    entries += 1;
    if (entries > maxEntries) throw new Error(`tar: more than ${maxEntries} entries`);
    const expected = readOctal(header, 148, 8, 'checksum');
    let sum = 0;
    for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
    if (sum !== expected) throw new Error(`tar: header checksum mismatch at byte ${offset}`);
    const size = readOctal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] ?? 0);
    const magic = readString(header, 257, 6);
    const prefix = magic === 'ustar' ? readString(header, 345, 155) : '';
    const rawName = readString(header, 0, 100);
    const name = (prefix ? `${prefix}/${rawName}` : rawName).replace(/^\.\//, '');
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new Error(`tar: ${name} is truncated`);
    if (type === '0' || type === '\0') {
      if (files.has(name)) throw new Error(`tar: ${name} appears twice`);
      files.set(name, Buffer.from(tar.subarray(start, start + size)));
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
