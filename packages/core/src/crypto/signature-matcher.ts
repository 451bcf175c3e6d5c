/**
 * Whether any candidate signature (still encoded, as the header carries it) is the HMAC of
 * the signed content under any configured key. The `node:crypto` matcher answers at once; the
 * Web Crypto one answers with a promise.
 */
export type SignatureMatcher = (
  content: ReadonlyArray<string | Uint8Array>,
  candidates: readonly string[],
) => boolean | Promise<boolean>;

/** Which HMAC implementation a verifier uses. */
export type CryptoImplementation = 'node' | 'web';
