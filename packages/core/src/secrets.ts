import type { SignatureScheme } from './signature-scheme.js';

/** One signing secret: a string (decoded by the scheme, e.g. `whsec_…`) or raw key bytes. */
export type WebhookSecret = string | Uint8Array;

/**
 * One secret, or several while rotating keys: a delivery passes when any one of its
 * signatures matches any one of these.
 */
export type WebhookSecrets = WebhookSecret | readonly WebhookSecret[];

/**
 * Turns configured secrets into HMAC keys, once, at setup.
 *
 * @throws {TypeError} for a missing or empty secret; the message never contains the secret
 */
export function decodeSecrets(
  secrets: WebhookSecrets | undefined,
  scheme: SignatureScheme,
  option = 'secret',
): Uint8Array[] {
  const list: readonly unknown[] = Array.isArray(secrets) ? secrets : [secrets];
  if (list.length === 0) throw new TypeError(`${option} option must name at least one secret`);
  return list.map((secret, index) => {
    const where = list.length > 1 ? `${option}[${index}]` : option;
    if (secret instanceof Uint8Array) {
      if (secret.length === 0) throw new TypeError(`${where} option must not be empty`);
      // A copy: a caller that reuses its buffer must not change the key under a live verifier.
      return secret.slice();
    }
    if (typeof secret !== 'string') {
      throw new TypeError(
        `${where} option must be a string or a Uint8Array, got ${secret === null ? 'null' : typeof secret}`,
      );
    }
    if (secret.length === 0) throw new TypeError(`${where} option must not be empty`);
    let key: Uint8Array;
    try {
      key = scheme.decodeSecret(secret);
    } catch (error) {
      // Scheme decoders say what is wrong without the secret; keep only that.
      throw new TypeError(
        `${where} option: ${error instanceof Error ? error.message : 'cannot be decoded'}`,
      );
    }
    if (!(key instanceof Uint8Array)) {
      throw new TypeError(`${where} option: the scheme's decodeSecret() must return a Uint8Array`);
    }
    if (key.length === 0) throw new TypeError(`${where} option decodes to an empty key`);
    return key;
  });
}
