import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip, readTarGz, sha256Hex } from './bytes.js';
import { genesisHash, ledgerHash } from './ledger.js';

/** A one-file ustar archive written by hand (name, size, checksum), as `tar` writes it. */
function tarOf(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'ascii');
  header.write('0000644\0', 100, 'ascii');
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write('00000000000\0', 136, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.fill(' ', 148, 156);
  const sum = header.reduce((n, b) => n + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content, 'utf8');
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

describe('bytes and hashes without Node built-ins', () => {
  it('hashes as Node does', () => {
    expect(sha256Hex('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('reads a gzip’d tar archive and refuses what is not one, or inflates past the limit', async () => {
    const archive = gzipSync(tarOf('events.jsonl', '{"seq":1}\n'));
    const files = await readTarGz(archive);
    expect(new TextDecoder().decode(files.get('events.jsonl'))).toBe('{"seq":1}\n');
    await expect(readTarGz(new TextEncoder().encode('not gzip'))).rejects.toThrow('not gzip data');
    await expect(gunzip(gzipSync(Buffer.alloc(10_000)), 1_000)).rejects.toThrow('inflates past 1000 bytes');
    const broken = tarOf('a.txt', 'x');
    broken[0] = 'b'.charCodeAt(0); // the name changes, the checksum does not
    await expect(readTarGz(gzipSync(broken))).rejects.toThrow('checksum mismatch');
  });

  it('links ledger events as the writer does: SHA-256(prevHash || canonical JSON)', () => {
    const genesis = genesisHash('acme');
    expect(genesis).toBe(
      createHash('sha256')
        .update('0'.repeat(64))
        .update('{"genesis":"tranche.audit-ledger","tenantId":"acme"}')
        .digest('hex'),
    );
    const event = {
      seq: 1,
      tenantId: 'acme',
      source: 'deals',
      sourceEventId: 'e1',
      actor: 'arranger@acme.test',
      action: 'deal.created',
      aggregateType: 'Deal',
      aggregateId: 'd1',
      payload: '{}',
      requestId: null,
      occurredAt: new Date('2026-12-01T00:00:00.000Z'),
    };
    const hash = ledgerHash(genesis, event);
    expect(ledgerHash(genesis, { ...event, action: 'deal.issued' })).not.toBe(hash);
    expect(ledgerHash('f'.repeat(64), event)).not.toBe(hash);
  });
});
