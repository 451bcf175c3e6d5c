import { candidateList } from './candidate-list.js';
import { base64ToBytes, utf8Bytes } from './crypto/bytes.js';
import { type HmacAlgorithm, hmacAlgorithms, isHmacAlgorithm } from './crypto/hmac-algorithm.js';

/**
 * A signature scheme is a value, not code: header names, the signed-content recipe,
 * the HMAC algorithm and the encoding. If TRaX ships something other than Standard
 * Webhooks, receiving it is a config change.
 */

/** What a signature header says once parsed. */
export interface ParsedSignatureHeader {
  /** Candidate signatures, still encoded (base64 or hex), of the version this scheme signs. */
  signatures: string[];
  /** The timestamp, for schemes that carry it inside the signature header (`t=…`). */
  timestamp?: string;
}

/** The parts of a delivery that may be signed. */
export interface SignedParts {
  id: string;
  timestamp: string | undefined;
  /** The raw body bytes, untouched. */
  body: Uint8Array;
}

/** The header names a scheme's headers may also arrive under. */
export interface SignatureHeaderAliases {
  /** Read when the scheme's `idHeader` is absent. Lower case. */
  readonly idHeader?: string;
  /** Read when the scheme's `timestampHeader` is absent. Lower case. */
  readonly timestampHeader?: string;
  /** Read when the scheme's `signatureHeader` is absent. Lower case. */
  readonly signatureHeader?: string;
}

/** A complete signature scheme. Build one with {@link defineSignatureScheme}. */
export interface SignatureScheme {
  /** A name for logs and errors, e.g. `standard-webhooks`. */
  readonly name: string;
  /** Header carrying the delivery id (stable across retries). Lower case. */
  readonly idHeader: string;
  /** Header carrying the unix-seconds timestamp, or `undefined` when the signature header carries it or there is none. */
  readonly timestampHeader: string | undefined;
  /** Header carrying the signature(s). Lower case. */
  readonly signatureHeader: string;
  /** Header carrying the attempt number, when the sender sends one. Lower case. */
  readonly attemptHeader: string | undefined;
  /**
   * The HMAC hash: one that both `node:crypto` and Web Crypto have, so the scheme verifies the
   * same on every runtime.
   */
  readonly algorithm: HmacAlgorithm;
  /** How signatures are written. */
  readonly encoding: 'base64' | 'hex';
  /** Whether a delivery without a timestamp is rejected. Without one there is no replay window. */
  readonly requiresTimestamp: boolean;
  /**
   * Other names the id, timestamp and signature headers may arrive under, each read only when
   * the scheme's own is absent (Standard Webhooks: Svix's `svix-id`, `svix-timestamp`,
   * `svix-signature`). The signature covers the id and timestamp whichever name carried them.
   */
  readonly headerAliases?: SignatureHeaderAliases;
  /** Turns a configured secret string into HMAC key bytes. */
  decodeSecret(secret: string): Uint8Array;
  /** Reads the candidate signatures (and an embedded timestamp) from the signature header. */
  parseSignatureHeader(value: string): ParsedSignatureHeader;
  /** Writes the signature header for the given encoded signatures. */
  formatSignatureHeader(signatures: readonly string[], timestamp: string | undefined): string;
  /** The bytes to HMAC, as chunks fed to the HMAC in order (no copy of the body). */
  signedContent(parts: SignedParts): ReadonlyArray<string | Uint8Array>;
}

const WHSEC_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a Standard Webhooks secret: `whsec_<base64>` is base64-decoded after the prefix;
 * any other string is used as its UTF-8 bytes.
 *
 * @throws {TypeError} when the part after `whsec_` is not base64 (the secret itself is never echoed)
 */
export function decodeWhsecSecret(secret: string): Uint8Array {
  if (!secret.startsWith(WHSEC_PREFIX)) return utf8Bytes(secret);
  const encoded = secret.slice(WHSEC_PREFIX.length);
  if (encoded.length === 0 || encoded.length % 4 === 1 || !BASE64.test(encoded)) {
    throw new TypeError('secret starts with "whsec_" but the rest is not valid base64');
  }
  return base64ToBytes(encoded);
}

function utf8Secret(secret: string): Uint8Array {
  return utf8Bytes(secret);
}

/**
 * Standard Webhooks v1 (the spec behind Svix and others), the TRaX default:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> v1,<base64>`,
 * signed content `${id}.${timestamp}.${body}`, HMAC-SHA256, `whsec_` secrets. Deliveries
 * that carry Svix's names for the same headers (`svix-id`, `svix-timestamp`, `svix-signature`)
 * verify too, as every Standard Webhooks library reads them.
 */
export const standardWebhooksScheme: SignatureScheme = Object.freeze({
  name: 'standard-webhooks',
  idHeader: 'webhook-id',
  timestampHeader: 'webhook-timestamp',
  signatureHeader: 'webhook-signature',
  attemptHeader: 'webhook-attempt',
  headerAliases: Object.freeze({
    idHeader: 'svix-id',
    timestampHeader: 'svix-timestamp',
    signatureHeader: 'svix-signature',
  }),
  algorithm: 'sha256',
  encoding: 'base64',
  requiresTimestamp: true,
  decodeSecret: decodeWhsecSecret,
  parseSignatureHeader(value: string): ParsedSignatureHeader {
    // Space-separated `v1,<sig>` entries; other versions (v1a: asymmetric) are not ours to
    // check. A repeated header reaches us joined with ", " (Node, fetch): base64 has no comma,
    // so a trailing one goes. A scan rather than `split(' ')`: one string per candidate and no
    // array of pieces, on every delivery.
    let first: string | undefined;
    let more: string[] | undefined;
    let start = 0;
    while (start < value.length) {
      let stop = value.indexOf(' ', start);
      if (stop < 0) stop = value.length;
      const end = value.charCodeAt(stop - 1) === 44 ? stop - 1 : stop;
      if (stop - start > 3 && value.startsWith('v1,', start)) {
        const signature = value.slice(start + 3, end);
        if (first === undefined) first = signature;
        else if (more === undefined) more = [signature];
        else more.push(signature);
      }
      start = stop + 1;
    }
    return { signatures: candidateList(first, more) };
  },
  formatSignatureHeader(signatures: readonly string[]): string {
    return signatures.map((s) => `v1,${s}`).join(' ');
  },
  signedContent({ id, timestamp, body }: SignedParts) {
    return [`${id}.${timestamp}.`, body];
  },
});

/**
 * The `t=<unix seconds>,v1=<hex>` shape (Stripe's): the timestamp rides in the signature
 * header, signed content `${timestamp}.${body}`, HMAC-SHA256 in hex, the secret used as
 * UTF-8. The delivery id comes from `trax-delivery-id`.
 */
export const stripeStyleScheme: SignatureScheme = /* @__PURE__ */ Object.freeze({
  name: 'stripe-style',
  idHeader: 'trax-delivery-id',
  timestampHeader: undefined,
  signatureHeader: 'trax-signature',
  attemptHeader: 'trax-delivery-attempt',
  algorithm: 'sha256',
  encoding: 'hex',
  requiresTimestamp: true,
  decodeSecret: utf8Secret,
  parseSignatureHeader(value: string): ParsedSignatureHeader {
    const signatures: string[] = [];
    let timestamp: string | undefined;
    for (const item of value.split(',')) {
      const eq = item.indexOf('=');
      if (eq < 0) continue;
      const key = item.slice(0, eq).trim();
      const val = item.slice(eq + 1).trim();
      if (key === 't') timestamp = val;
      else if (key === 'v1') signatures.push(val);
    }
    return timestamp === undefined ? { signatures } : { signatures, timestamp };
  },
  formatSignatureHeader(signatures: readonly string[], timestamp: string | undefined): string {
    return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(',');
  },
  signedContent({ timestamp, body }: SignedParts) {
    return [`${timestamp}.`, body];
  },
});

/**
 * The `sha256=<hex>` body-only shape (GitHub's `X-Hub-Signature-256`): HMAC-SHA256 of the
 * body alone, the secret used as UTF-8, the delivery id from `trax-delivery-id`.
 * It signs no timestamp, so it has **no replay window**: prefer a timestamped scheme.
 */
export const githubStyleScheme: SignatureScheme = /* @__PURE__ */ Object.freeze({
  name: 'github-style',
  idHeader: 'trax-delivery-id',
  timestampHeader: undefined,
  signatureHeader: 'x-hub-signature-256',
  attemptHeader: undefined,
  algorithm: 'sha256',
  encoding: 'hex',
  requiresTimestamp: false,
  decodeSecret: utf8Secret,
  parseSignatureHeader(value: string): ParsedSignatureHeader {
    // Items separated by spaces or commas (a repeated header arrives joined with ", "). A scan,
    // not `split(/[ ,]+/)`: the regular expression was a measurable part of a delivery's cost.
    let first: string | undefined;
    let more: string[] | undefined;
    let start = 0;
    while (start < value.length) {
      let stop = start;
      while (stop < value.length) {
        const code = value.charCodeAt(stop);
        if (code === 32 || code === 44) break;
        stop++;
      }
      if (value.startsWith('sha256=', start) && stop - start >= 7) {
        const signature = value.slice(start + 7, stop);
        if (first === undefined) first = signature;
        else if (more === undefined) more = [signature];
        else more.push(signature);
      }
      start = stop + 1;
    }
    return { signatures: candidateList(first, more) };
  },
  formatSignatureHeader(signatures: readonly string[]): string {
    return signatures.map((s) => `sha256=${s}`).join(' ');
  },
  signedContent({ body }: SignedParts) {
    return [body];
  },
});

/** Options of {@link defineSignatureScheme}: any part of a scheme, over a base. */
export type SignatureSchemeOptions = Partial<SignatureScheme> & {
  /** The scheme to start from. @default standardWebhooksScheme */
  base?: SignatureScheme;
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Builds a scheme from a base and overrides, checking every part.
 *
 * @example
 * ```ts
 * // TRaX ships `x-trax-*` headers but otherwise Standard Webhooks:
 * const scheme = defineSignatureScheme({
 *   idHeader: 'x-trax-id', timestampHeader: 'x-trax-timestamp', signatureHeader: 'x-trax-signature',
 * });
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function defineSignatureScheme(options: SignatureSchemeOptions = {}): SignatureScheme {
  const { base = standardWebhooksScheme, ...overrides } = options;
  const scheme = { ...base, ...overrides };
  // A scheme that renames its headers does not keep the base's aliases unless it says so:
  // `svix-id` standing in for `x-trax-id` would surprise whoever renamed it.
  const renamesHeaders = (['idHeader', 'timestampHeader', 'signatureHeader'] as const).some(
    (key) => key in overrides,
  );
  if (renamesHeaders && !('headerAliases' in overrides)) scheme.headerAliases = undefined;
  const header = (
    key: 'idHeader' | 'signatureHeader' | 'timestampHeader' | 'attemptHeader',
    optional: boolean,
  ) => {
    const value = scheme[key];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
      throw new TypeError(`${key} option must be a valid HTTP header name`);
    }
    return value.toLowerCase();
  };
  if (scheme.encoding !== 'base64' && scheme.encoding !== 'hex') {
    throw new TypeError('encoding option must be "base64" or "hex"');
  }
  if (!isHmacAlgorithm(scheme.algorithm)) {
    throw new TypeError(`algorithm option must be one of ${hmacAlgorithms.join(', ')}`);
  }
  const aliases = scheme.headerAliases;
  if (aliases !== undefined && (typeof aliases !== 'object' || aliases === null)) {
    throw new TypeError('headerAliases option must be an object of header names');
  }
  const alias = (key: 'idHeader' | 'signatureHeader' | 'timestampHeader') => {
    const value = aliases?.[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
      throw new TypeError(`headerAliases.${key} option must be a valid HTTP header name`);
    }
    return value.toLowerCase();
  };
  for (const fn of [
    'decodeSecret',
    'parseSignatureHeader',
    'formatSignatureHeader',
    'signedContent',
  ] as const) {
    if (typeof scheme[fn] !== 'function') throw new TypeError(`${fn} option must be a function`);
  }
  return Object.freeze({
    ...scheme,
    name: typeof scheme.name === 'string' && scheme.name ? scheme.name : 'custom',
    idHeader: header('idHeader', false)!,
    signatureHeader: header('signatureHeader', false)!,
    timestampHeader: header('timestampHeader', true),
    attemptHeader: header('attemptHeader', true),
    headerAliases:
      aliases === undefined
        ? undefined
        : Object.freeze(
            Object.fromEntries(
              (['idHeader', 'timestampHeader', 'signatureHeader'] as const)
                .map((key) => [key, alias(key)] as const)
                .filter(([, value]) => value !== undefined),
            ) as SignatureHeaderAliases,
          ),
    requiresTimestamp: scheme.requiresTimestamp !== false,
  });
}
