// A minimal POSIX ustar writer and reader for audit bundles: a handful of regular files, written
// deterministically (fixed mode, owner and mtime, so the same content gives the same archive and
// SHA-256), gzip'd; any standard `tar -xzf` reads them, and the reader accepts what GNU or BSD tar
// writes back (directories and PAX headers are skipped).
import { gunzipSync, gzipSync } from 'node:zlib';
import { readTar, type TarLimits } from '@tranche/verify';

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

export type { TarLimits };

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
  for (const [name, content] of readTar(tar, limits)) files.set(name, Buffer.from(content));
  return files;
}
