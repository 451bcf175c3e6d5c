import type { HmacAlgorithm } from './hmac-algorithm.js';
import type { NodeBuffer, NodeCrypto } from './node-crypto.js';
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

/**
 * The synchronous fast path: HMAC with `node:crypto`, then a timing-safe compare of the
 * encoded text (strict: no lenient base64 decoding lets a second spelling through).
 */
export function createNodeMatcher(
  { crypto, Buffer }: { crypto: NodeCrypto; Buffer: NodeBuffer },
  keys: readonly Uint8Array[],
  algorithm: HmacAlgorithm,
  encoding: 'base64' | 'hex',
): SignatureMatcher {
  return function matchWithNodeCrypto(content, candidates) {
    for (const key of keys) {
      const expected = Buffer.from(
        nodeSignature(crypto, algorithm, encoding, key, content),
        'latin1',
      );
      for (const candidate of candidates) {
        if (
          candidate.length === expected.length &&
          crypto.timingSafeEqual(Buffer.from(candidate, 'latin1'), expected)
        )
          return true;
      }
    }
    return false;
  };
}
