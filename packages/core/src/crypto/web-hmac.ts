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

/**
 * The Web Crypto path: `crypto.subtle.verify` compares in constant time. Keys are imported at
 * the first delivery (not at setup, which must stay synchronous) and kept.
 */
export function createWebMatcher(
  subtle: Subtle,
  keys: readonly Uint8Array[],
  algorithm: HmacAlgorithm,
  encoding: 'base64' | 'hex',
): SignatureMatcher {
  const digestBytes = digestBytesOf[algorithm];
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
  return async function matchWithWebCrypto(content, candidates) {
    const signatures: Uint8Array[] = [];
    for (const candidate of candidates) {
      const bytes = decodeCandidate(candidate, encoding, digestBytes);
      if (bytes) signatures.push(bytes);
    }
    if (signatures.length === 0) return false;
    imported ??= importKeys();
    const cryptoKeys = await imported;
    const data = concatBytes(content);
    for (const key of cryptoKeys) {
      for (const signature of signatures) {
        if (await subtle.verify('HMAC', key, signature, data)) return true;
      }
    }
    return false;
  };
}
