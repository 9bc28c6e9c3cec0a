import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readTarGz, writeTarGz } from './tar.js';

const dir = mkdtempSync(join(tmpdir(), 'tranche-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = [
  { name: 'manifest.json', content: Buffer.from('{"a":1}\n') },
  { name: 'events.jsonl', content: Buffer.from('x'.repeat(1500)) },
  { name: 'empty.json', content: Buffer.alloc(0) },
];
const mtime = new Date('2026-06-01T00:00:00Z');

describe('bundle archives (ustar, gzip)', () => {
  it('reads back what it writes, byte for byte, and writes equal archives for equal input', () => {
    const archive = writeTarGz(files, mtime);
    const read = readTarGz(archive);
    expect([...read.keys()]).toEqual(files.map((f) => f.name));
    for (const f of files) expect(read.get(f.name)?.equals(f.content)).toBe(true);
    expect(writeTarGz(files, mtime).equals(archive)).toBe(true);
  });

  it('is read by the system tar, and reads what the system tar writes back', () => {
    const archive = join(dir, 'bundle.tar.gz');
    writeFileSync(archive, writeTarGz(files, mtime));
    const listed = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    expect(listed.stdout.trim().split('\n')).toEqual(files.map((f) => f.name));
    const out = join(dir, 'out');
    spawnSync('mkdir', ['-p', out]);
    expect(spawnSync('tar', ['-xzf', archive, '-C', out]).status).toBe(0);
    const repacked = join(dir, 'repacked.tar.gz');
    expect(spawnSync('tar', ['-czf', repacked, '-C', out, '.']).status).toBe(0);
    const read = readTarGz(readFileSync(repacked));
    expect([...read.keys()].sort()).toEqual(files.map((f) => f.name).sort());
    expect(read.get('events.jsonl')?.equals(files[1]?.content ?? Buffer.alloc(0))).toBe(true);
  });

  it('refuses a corrupted header, a repeated name, and data that is not gzip', () => {
    const tar = gunzipSync(writeTarGz(files, mtime));
    tar[0] = 'X'.charCodeAt(0);
    expect(() => readTarGz(gzipSync(tar))).toThrow(/checksum/);
    const manifest = { name: 'manifest.json', content: Buffer.from('{}') };
    const twice = writeTarGz([manifest, manifest], mtime);
    expect(() => readTarGz(twice)).toThrow(/appears twice/);
    expect(() => readTarGz(Buffer.from('plain text'))).toThrow();
  });
});
