import { createVerifier, type Verifier, type VerifierOptions } from './verify-signature.js';

/**
 * The verifier `verifyEvent` used last, kept for the next call with the same options: building
 * one (decoding the secret, setting up the HMAC) cost a `verifyEvent` call 40% on top of the
 * verify + parse itself at 1 KB (BENCHMARKS.md, verify). Only options that cannot change
 * under it are matched: secrets given as strings (compared by value), a frozen scheme (every
 * preset, and every `defineSignatureScheme` result), a numeric or absent tolerance, the same
 * `now` function. Anything else (key bytes, a tolerance object) gets a new verifier each call.
 */
let last: { key: readonly unknown[]; verify: Verifier } | undefined;

/** A verifier for `options`: the last one when they are the same, a new one otherwise. */
export function memoizedVerifier(options: VerifierOptions): Verifier {
  const key = memoKeyOf(options);
  if (key !== undefined && last !== undefined && sameKey(key, last.key)) return last.verify;
  const verify = createVerifier(options);
  if (key !== undefined) last = { key, verify };
  return verify;
}

function memoKeyOf(options: VerifierOptions): readonly unknown[] | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const { secret, scheme, tolerance, now, crypto } = options;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (!Array.isArray(secrets) || !secrets.every((s) => typeof s === 'string')) return undefined;
  if (scheme !== undefined && !Object.isFrozen(scheme)) return undefined;
  if (tolerance !== undefined && typeof tolerance !== 'number') return undefined;
  return [scheme, tolerance, now, crypto, ...secrets];
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
