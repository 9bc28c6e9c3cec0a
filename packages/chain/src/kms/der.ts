// The two DER shapes a KMS speaks for EC keys: a SubjectPublicKeyInfo (RFC 5480) holding the public
// point, and an ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } (RFC 3279). Only what those need
// of DER: definite lengths, SEQUENCE, INTEGER, OBJECT IDENTIFIER and BIT STRING.

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;

/** 1.2.840.10045.2.1 (id-ecPublicKey) */
const EC_PUBLIC_KEY_OID = '2a8648ce3d0201';
/** 1.3.132.0.10 (secp256k1) */
const SECP256K1_OID = '2b8104000a';

interface Tlv {
  tag: number;
  value: Uint8Array;
  /** offset just after this element */
  end: number;
}

/** The byte at `i`; throws past the end (a truncated encoding). */
function byteAt(der: Uint8Array, i: number, what: string): number {
  const b = der[i];
  if (b === undefined) throw new Error(`${what}: truncated DER`);
  return b;
}

function readTlv(der: Uint8Array, offset: number, what: string): Tlv {
  const tag = byteAt(der, offset, what);
  let length = byteAt(der, offset + 1, what);
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 2) throw new Error(`${what}: bad DER length`);
    length = 0;
    for (let i = 0; i < bytes; i++) length = (length << 8) | byteAt(der, start + i, what);
    start += bytes;
  }
  if (start + length > der.length) throw new Error(`${what}: truncated DER`);
  return { tag, value: der.subarray(start, start + length), end: start + length };
}

function expectTag(tlv: Tlv, tag: number, what: string): Uint8Array {
  if (tlv.tag !== tag)
    throw new Error(`${what}: expected DER tag 0x${tag.toString(16)}, got 0x${tlv.tag.toString(16)}`);
  return tlv.value;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  return length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
}

function tlv(tag: number, value: Uint8Array): Uint8Array {
  return Uint8Array.from([tag, ...encodeLength(value.length), ...value]);
}

/**
 * The 65-byte uncompressed secp256k1 point (0x04 ‖ X ‖ Y) of a DER SubjectPublicKeyInfo. Throws
 * when the key is not an EC key on secp256k1 or the point is not uncompressed.
 */
export function secp256k1PointFromSpki(spki: Uint8Array): Uint8Array {
  const what = 'SubjectPublicKeyInfo';
  const outer = expectTag(readTlv(spki, 0, what), SEQUENCE, what);
  const algorithm = readTlv(outer, 0, what);
  const algorithmSeq = expectTag(algorithm, SEQUENCE, what);
  const keyType = readTlv(algorithmSeq, 0, what);
  const curve = readTlv(algorithmSeq, keyType.end, what);
  if (hex(expectTag(keyType, OID, what)) !== EC_PUBLIC_KEY_OID)
    throw new Error(`${what}: not an EC public key`);
  if (hex(expectTag(curve, OID, what)) !== SECP256K1_OID)
    throw new Error(`${what}: the curve is not secp256k1`);
  const bits = expectTag(readTlv(outer, algorithm.end, what), BIT_STRING, what);
  // first byte of a BIT STRING: the number of unused bits, 0 for a key
  if (bits.length !== 66 || bits[0] !== 0 || bits[1] !== 0x04)
    throw new Error(`${what}: expected a 65-byte uncompressed point`);
  return bits.subarray(1);
}

/** A DER SubjectPublicKeyInfo for a 65-byte uncompressed secp256k1 point (what a KMS returns). */
export function spkiFromSecp256k1Point(point: Uint8Array): Uint8Array {
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('expected a 65-byte uncompressed point');
  const algorithm = tlv(
    SEQUENCE,
    Uint8Array.from([
      ...tlv(OID, Buffer.from(EC_PUBLIC_KEY_OID, 'hex')),
      ...tlv(OID, Buffer.from(SECP256K1_OID, 'hex')),
    ]),
  );
  return tlv(SEQUENCE, Uint8Array.from([...algorithm, ...tlv(BIT_STRING, Uint8Array.from([0, ...point]))]));
}

function unsignedInteger(bytes: Uint8Array, name: string): bigint {
  if (bytes.length === 0 || bytes.length > 33 || byteAt(bytes, 0, 'ECDSA signature') & 0x80)
    throw new Error(`ECDSA signature: ${name} is not a positive 256-bit INTEGER`);
  return BigInt('0x' + hex(bytes));
}

/** (r, s) of a DER ECDSA signature, as 0x-prefixed 32-byte hex. Throws on anything else. */
export function ecdsaSignatureFromDer(der: Uint8Array): { r: string; s: string } {
  const what = 'ECDSA signature';
  const outer = readTlv(der, 0, what);
  if (outer.end !== der.length) throw new Error(`${what}: trailing bytes after the DER`);
  const seq = expectTag(outer, SEQUENCE, what);
  const r = readTlv(seq, 0, what);
  const s = readTlv(seq, r.end, what);
  if (s.end !== seq.length) throw new Error(`${what}: trailing bytes in the SEQUENCE`);
  const word = (n: bigint) => '0x' + n.toString(16).padStart(64, '0');
  const rn = unsignedInteger(expectTag(r, INTEGER, what), 'r');
  const sn = unsignedInteger(expectTag(s, INTEGER, what), 's');
  if (rn === 0n || sn === 0n || rn >> 256n || sn >> 256n) throw new Error(`${what}: r or s out of range`);
  return { r: word(rn), s: word(sn) };
}

function derUnsigned(value: bigint): Uint8Array {
  let bytes = Buffer.from(value.toString(16).padStart(64, '0'), 'hex') as Uint8Array;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  return tlv(INTEGER, byteAt(bytes, 0, 'INTEGER') & 0x80 ? Uint8Array.from([0, ...bytes]) : bytes);
}

/** A DER ECDSA signature of (r, s) (0x-prefixed hex or bigint), minimal INTEGER encodings. */
export function ecdsaSignatureToDer(r: string | bigint, s: string | bigint): Uint8Array {
  return tlv(SEQUENCE, Uint8Array.from([...derUnsigned(BigInt(r)), ...derUnsigned(BigInt(s))]));
}
