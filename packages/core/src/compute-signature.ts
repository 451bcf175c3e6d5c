import { loadNodeCrypto } from './crypto/node-crypto.js';
import { nodeSignature } from './crypto/node-hmac.js';
import type { SignatureScheme } from './signature-scheme.js';

/**
 * The encoded HMAC of one delivery's signed content under one key, for signing. Verifying
 * uses the same recipe (`scheme.signedContent`, then the scheme's HMAC and encoding) through
 * a matcher, so the two can never drift apart.
 *
 * @throws {Error} where the runtime has no `node:crypto` (signing is synchronous; Web Crypto is not)
 */
export function computeSignature(
  scheme: SignatureScheme,
  key: Uint8Array,
  content: ReadonlyArray<string | Uint8Array>,
): string {
  const crypto = loadNodeCrypto();
  if (!crypto) {
    throw new Error(
      'signDelivery needs node:crypto (Node, Bun, Deno); this runtime has only Web Crypto.',
    );
  }
  return nodeSignature(crypto, scheme.algorithm, scheme.encoding, key, content);
}
