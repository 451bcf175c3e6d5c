import type { HmacAlgorithm } from './hmac-algorithm.js';
import type { NodeCrypto } from './node-crypto.js';
import type { SignatureMatcher } from './signature-matcher.js';

/** The encoded HMAC of `content` under `key`, with `node:crypto` (no copy of the body). */
export function nodeSignature(
  crypto: NodeCrypto,
  algorithm: HmacAlgorithm,
  encoding: 'base64' | 'hex',
  key: Uint8Array,
  content: ReadonlyArray<string | Uint8Array>,
): string {
  const hmac = crypto.createHmac(algorithm, key);
  for (const chunk of content) hmac.update(chunk);
  return hmac.digest(encoding);
}

/** The longest encoded signature: SHA-512 in hex. */
const MAX_ENCODED = 128;

/**
 * The synchronous fast path: HMAC with `node:crypto`, then `timingSafeEqual` over the encoded
 * text (strict: no lenient base64 decoding lets a second spelling through). The text is
 * written into two scratch buffers with `TextEncoder#encodeInto` rather than `Buffer.from`:
 * as fast on Node and Bun, and 7× faster on Deno, whose `Buffer` is a JavaScript polyfill.
 */
export function createNodeMatcher(
  crypto: NodeCrypto,
  keys: readonly Uint8Array[],
  algorithm: HmacAlgorithm,
  encoding: 'base64' | 'hex',
): SignatureMatcher {
  const encoder = new TextEncoder();
  const expectedBytes = new Uint8Array(MAX_ENCODED);
  const candidateBytes = new Uint8Array(MAX_ENCODED);
  return function matchWithNodeCrypto(content, candidates) {
    for (const key of keys) {
      const expected = nodeSignature(crypto, algorithm, encoding, key, content);
      const length = expected.length;
      encoder.encodeInto(expected, expectedBytes);
      for (const candidate of candidates) {
        if (candidate.length !== length) continue;
        // Anything but ASCII (which a signature is) writes more bytes, or fewer characters.
        const { read, written } = encoder.encodeInto(candidate, candidateBytes);
        if (
          read === length &&
          written === length &&
          crypto.timingSafeEqual(
            candidateBytes.subarray(0, length),
            expectedBytes.subarray(0, length),
          )
        )
          return true;
      }
    }
    return false;
  };
}
