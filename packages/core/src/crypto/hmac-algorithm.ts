/**
 * The HMAC hashes a scheme may use: the ones both `node:crypto` and Web Crypto have, so a
 * scheme verifies the same on Node, Bun, Deno, Workers and the edge.
 */
export const hmacAlgorithms = ['sha256', 'sha384', 'sha512'] as const;

/** An HMAC hash, named as `node:crypto` names it. */
export type HmacAlgorithm = (typeof hmacAlgorithms)[number];

/** Web Crypto's name for each hash. */
export const webCryptoHashOf: Readonly<Record<HmacAlgorithm, string>> = {
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** The digest length of each hash, in bytes. */
export const digestBytesOf: Readonly<Record<HmacAlgorithm, number>> = {
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** True when `value` is one of {@link hmacAlgorithms}. */
export function isHmacAlgorithm(value: unknown): value is HmacAlgorithm {
  return (hmacAlgorithms as readonly unknown[]).includes(value);
}
