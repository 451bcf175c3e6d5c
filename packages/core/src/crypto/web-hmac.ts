import { base64ToBytes, bytesToBase64, concatBytes, hexToBytes } from './bytes.js';
import { digestBytesOf, type HmacAlgorithm, webCryptoHashOf } from './hmac-algorithm.js';
import type { SignatureMatcher } from './signature-matcher.js';

// The slice of Web Crypto used here, typed locally so core's types need no DOM library.
type Key = object;
interface Subtle {
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: { name: 'HMAC'; hash: string },
    extractable: false,
    usages: readonly string[],
  ): Promise<Key>;
  verify(algorithm: 'HMAC', key: Key, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

/** `crypto.subtle`, or `undefined` on a runtime without Web Crypto. */
export function webSubtle(): Subtle | undefined {
  return (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes one candidate signature to the bytes `crypto.subtle.verify` compares, or
 * `undefined` when it cannot be a signature of this length. Only the canonical spelling
 * decodes (the one `node:crypto` writes), so both paths accept exactly the same headers.
 */
function decodeCandidate(
  candidate: string,
  encoding: 'base64' | 'hex',
  bytes: number,
): Uint8Array | undefined {
  if (encoding === 'hex') {
    return candidate.length === bytes * 2 ? hexToBytes(candidate) : undefined;
  }
  if (candidate.length !== Math.ceil(bytes / 3) * 4 || !BASE64.test(candidate)) return undefined;
  const decoded = base64ToBytes(candidate);
  // Not secret: the candidate is the sender's; re-encoding it only rules out other spellings.
  return decoded.length === bytes && bytesToBase64(decoded) === candidate ? decoded : undefined;
}

/** Signed content up to this size is assembled in one reused buffer (see below). */
const SCRATCH_BYTES = 64 * 1024;

/**
 * The Web Crypto path: `crypto.subtle.verify` compares in constant time. Keys are imported at
 * the first delivery (not at setup, which must stay synchronous) and kept.
 *
 * The signed content (`id.timestamp.` then the body) must reach `verify` as one buffer. Up to
 * 64 KiB it is assembled in a buffer this matcher reuses instead of a new one per delivery
 * (a fresh 16 KiB allocation costs a quarter of the verify on Node). That is safe because Web
 * Crypto copies `data` before `verify` returns (the spec's "get a copy of the bytes held by
 * the data parameter"), and every `verify` of one delivery is issued before anything awaits.
 */
export function createWebMatcher(
  subtle: Subtle,
  keys: readonly Uint8Array[],
  algorithm: HmacAlgorithm,
  encoding: 'base64' | 'hex',
): SignatureMatcher {
  const digestBytes = digestBytesOf[algorithm];
  const encoder = new TextEncoder();
  let scratch: Uint8Array | undefined;
  let imported: Promise<Key[]> | undefined;
  const importKeys = () => {
    const pending = Promise.all(
      keys.map((key) =>
        subtle.importKey('raw', key, { name: 'HMAC', hash: webCryptoHashOf[algorithm] }, false, [
          'verify',
        ]),
      ),
    );
    // A failed import is tried again at the next delivery instead of failing every one after.
    pending.catch(() => {
      if (imported === pending) imported = undefined;
    });
    return pending;
  };
  const signedBytes = (content: ReadonlyArray<string | Uint8Array>): Uint8Array => {
    if (content.length === 1 && typeof content[0] !== 'string') return content[0]!;
    let bound = 0; // UTF-8 takes at most 3 bytes per UTF-16 unit
    for (const chunk of content)
      bound += typeof chunk === 'string' ? chunk.length * 3 : chunk.byteLength;
    if (bound > SCRATCH_BYTES) return concatBytes(content);
    scratch ??= new Uint8Array(SCRATCH_BYTES);
    let length = 0;
    for (const chunk of content) {
      if (typeof chunk === 'string') {
        length += encoder.encodeInto(chunk, scratch.subarray(length)).written;
      } else {
        scratch.set(chunk, length);
        length += chunk.byteLength;
      }
    }
    return scratch.subarray(0, length);
  };
  return async function matchWithWebCrypto(content, candidates) {
    const signatures: Uint8Array[] = [];
    for (const candidate of candidates) {
      const bytes = decodeCandidate(candidate, encoding, digestBytes);
      if (bytes) signatures.push(bytes);
    }
    if (signatures.length === 0) return false;
    imported ??= importKeys();
    const cryptoKeys = await imported;
    // From here to the last verify() call nothing awaits: the reused buffer is this delivery's.
    const data = signedBytes(content);
    const checks: Promise<boolean>[] = [];
    for (const key of cryptoKeys) {
      for (const signature of signatures) checks.push(subtle.verify('HMAC', key, signature, data));
    }
    return (await Promise.all(checks)).includes(true);
  };
}
