// Bytes, hashes and archives without Node built-ins: the same code runs in the auditor's browser
// and in the `audit:verify-bundle` command. SHA-256 is ethers' (WebCrypto-free, synchronous);
// gzip is the platform's DecompressionStream (Chromium, Firefox, Safari, Node ≥ 18).
import { sha256 } from 'ethers';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 bytes of `text`. */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** The text of UTF-8 `bytes`. */
export const textOf = (bytes: Uint8Array): string => decoder.decode(bytes);

/** SHA-256 of `data` (bytes, or a string taken as UTF-8), hex without prefix. */
export function sha256Hex(data: Uint8Array | string): string {
  return sha256(typeof data === 'string' ? utf8(data) : data).slice(2);
}

/** Limits that keep a hostile archive from exhausting memory. */
export interface TarLimits {
  /** Most bytes the archive may inflate to (default 2 GiB). */
  maxBytes?: number;
  /** Most entries (default 1000). */
  maxEntries?: number;
}

const BLOCK = 512;

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return textOf(field.subarray(0, end === -1 ? length : end));
}

function readOctal(block: Uint8Array, offset: number, length: number, what: string): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`tar: malformed ${what} field`);
  return text ? parseInt(text, 8) : 0;
}

/**
 * The regular files of an (uncompressed) tar archive by name (a leading `./` dropped).
 * Directories, PAX and GNU long-name headers are skipped; a repeated name is refused (an archive
 * could otherwise show one content to `tar` and another to this reader).
 *
 * @throws Error when a header's checksum does not match, the archive is truncated, a name
 *   repeats, or there are more than `maxEntries` entries.
 */
export function readTar(tar: Uint8Array, limits: TarLimits = {}): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
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
      files.set(name, tar.slice(start, start + size));
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

/**
 * Inflates gzip `data`, refusing more than `maxBytes` of output.
 *
 * @throws Error when the data is not gzip or inflates past the limit.
 */
export async function gunzip(data: Uint8Array, maxBytes = 2 ** 31): Promise<Uint8Array> {
  if (data[0] !== 0x1f || data[1] !== 0x8b) throw new Error('not gzip data');
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`the archive inflates past ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The regular files of a gzip'd tar archive (see {@link readTar}). */
export async function readTarGz(
  archive: Uint8Array,
  limits: TarLimits = {},
): Promise<Map<string, Uint8Array>> {
  return readTar(await gunzip(archive, limits.maxBytes), limits);
}
