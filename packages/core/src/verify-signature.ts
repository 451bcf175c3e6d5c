import { utf8Bytes } from './crypto/bytes.js';
import { loadNodeCrypto } from './crypto/node-crypto.js';
import { createNodeMatcher } from './crypto/node-hmac.js';
import type { CryptoImplementation, SignatureMatcher } from './crypto/signature-matcher.js';
import { createWebMatcher, webSubtle } from './crypto/web-hmac.js';
import { TraxWebhookError } from './errors.js';
import { type HeaderSource, readHeader, readHeaderExact } from './headers.js';
import { decodeSecrets, type WebhookSecrets } from './secrets.js';
import { type SignatureScheme, standardWebhooksScheme } from './signature-scheme.js';
import { resolveTolerance, type ToleranceOption } from './tolerance.js';

/** Options of {@link createVerifier} and {@link verifySignature}. */
export interface VerifierOptions {
  /** The secret, or several during a key rotation. */
  secret: WebhookSecrets;
  /** How deliveries are signed. @default standardWebhooksScheme */
  scheme?: SignatureScheme;
  /** How far the signed timestamp may be from now, in seconds, each way. @default 300 */
  tolerance?: ToleranceOption;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
  /**
   * Which HMAC to use. `'auto'` takes `node:crypto` where the runtime has it (Node, Bun, Deno:
   * synchronous and the fastest there) and Web Crypto elsewhere (Workers, the Next.js edge
   * runtime, browsers). `'node'` and `'web'` force one, e.g. to measure both.
   * @default 'auto'
   */
  crypto?: 'auto' | CryptoImplementation;
}

/** What a verified delivery's headers say. */
export interface VerifiedDelivery {
  /** The delivery id, stable across retries. */
  id: string;
  /** The signed timestamp, in unix seconds; `undefined` for schemes that sign none. */
  timestamp: number | undefined;
  /** The attempt number, when the sender says it (not signed: informational only). */
  attempt: number | undefined;
}

/** The raw body as an adapter holds it: bytes, or the text they spell. */
export type RawBody = Uint8Array | string;

/**
 * Verifies one delivery's headers and raw bytes. With `node:crypto` it answers synchronously
 * (returns or throws); with Web Crypto it returns a promise (resolves or rejects). `await` its
 * result to run anywhere; the receiver awaits only a promise, so the Node path stays synchronous.
 * It fails with nothing but {@link TraxWebhookError}.
 */
export type Verifier = (
  headers: HeaderSource,
  rawBody: RawBody,
) => VerifiedDelivery | Promise<VerifiedDelivery>;

/** A verifier on `node:crypto`: always synchronous. */
export type SyncVerifier = (headers: HeaderSource, rawBody: RawBody) => VerifiedDelivery;

/** A verifier on Web Crypto: always a promise. */
export type AsyncVerifier = (headers: HeaderSource, rawBody: RawBody) => Promise<VerifiedDelivery>;

/** 1 to 12 ASCII digits (a loop: cheaper per delivery than a regular expression). */
function isUnixSeconds(text: string): boolean {
  if (text.length === 0 || text.length > 12) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Builds a verifier with the secrets decoded once. It fails with nothing but
 * {@link TraxWebhookError}, whose messages never contain a secret or a signature.
 *
 * @example
 * ```ts
 * const verify = createVerifier({ secret: process.env.TRAX_WEBHOOK_SECRET! });
 * const { id } = await verify(request.headers, rawBody); // TraxWebhookError (401/400) when forged
 * ```
 * @throws {TypeError} for bad options, or `crypto: 'node'` where the runtime has no `node:crypto`
 */
export function createVerifier(options: VerifierOptions & { crypto: 'node' }): SyncVerifier;
export function createVerifier(options: VerifierOptions & { crypto: 'web' }): AsyncVerifier;
export function createVerifier(options: VerifierOptions): Verifier;
export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const scheme = options.scheme ?? standardWebhooksScheme;
  const keys = decodeSecrets(options.secret, scheme);
  const tolerance = resolveTolerance(options.tolerance);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function')
    throw new TypeError('now option must be a function returning milliseconds');
  const matcher = createMatcher(options.crypto ?? 'auto', keys, scheme);
  const { idHeader, timestampHeader, signatureHeader, attemptHeader } = scheme;
  const aliases = scheme.headerAliases;
  const idAlias = aliases?.idHeader;
  const timestampAlias = aliases?.timestampHeader;
  const signatureAlias = aliases?.signatureHeader;

  // Everything but the HMAC: header reads, the replay window, the signed content.
  function prepare(headers: HeaderSource, rawBody: RawBody) {
    const id =
      readHeader(headers, idHeader) ??
      (idAlias === undefined ? undefined : readHeader(headers, idAlias));
    if (!id) throw missing(idHeader);
    const signatureValue =
      readHeader(headers, signatureHeader) ??
      (signatureAlias === undefined ? undefined : readHeader(headers, signatureAlias));
    if (!signatureValue) throw missing(signatureHeader);
    const parsed = scheme.parseSignatureHeader(signatureValue);
    let timestampText = parsed.timestamp;
    if (timestampHeader !== undefined) {
      timestampText =
        readHeader(headers, timestampHeader) ??
        (timestampAlias === undefined ? undefined : readHeader(headers, timestampAlias));
      if (!timestampText) throw missing(timestampHeader);
    }
    let timestamp: number | undefined;
    if (timestampText !== undefined) {
      if (!isUnixSeconds(timestampText)) {
        throw new TraxWebhookError(
          'MALFORMED_HEADER',
          'The delivery timestamp is not a number of unix seconds.',
        );
      }
      timestamp = Number(timestampText);
      const nowSeconds = Math.floor(now() / 1000);
      if (nowSeconds - timestamp > tolerance.pastSeconds) {
        throw new TraxWebhookError(
          'TIMESTAMP_TOO_OLD',
          'The delivery timestamp is older than the tolerance allows.',
        );
      }
      if (timestamp - nowSeconds > tolerance.futureSeconds) {
        throw new TraxWebhookError(
          'TIMESTAMP_TOO_NEW',
          'The delivery timestamp is further in the future than the tolerance allows.',
        );
      }
    } else if (scheme.requiresTimestamp) {
      throw new TraxWebhookError('MISSING_HEADER', 'The delivery carries no timestamp.');
    }
    if (parsed.signatures.length === 0) {
      throw new TraxWebhookError(
        'MALFORMED_HEADER',
        `The ${signatureHeader} header holds no signature of a version this receiver checks.`,
      );
    }
    const body = typeof rawBody === 'string' ? utf8Bytes(rawBody) : rawBody;
    const content = scheme.signedContent({ id, timestamp: timestampText, body });
    return { id, timestamp, content, signatures: parsed.signatures };
  }

  function verified(
    matched: boolean,
    id: string,
    timestamp: number | undefined,
    headers: HeaderSource,
  ): VerifiedDelivery {
    if (!matched) {
      throw new TraxWebhookError(
        'INVALID_SIGNATURE',
        'No signature on the delivery matches a configured secret.',
      );
    }
    return { id, timestamp, attempt: readAttempt(headers, attemptHeader, idHeader) };
  }

  if (matcher.implementation === 'node') {
    const matches = matcher.matches as (...args: Parameters<SignatureMatcher>) => boolean;
    return function verifyWithNodeCrypto(headers, rawBody) {
      const { id, timestamp, content, signatures } = prepare(headers, rawBody);
      return verified(matches(content, signatures), id, timestamp, headers);
    };
  }
  const { matches } = matcher;
  // async: a bad header rejects like a bad signature, so callers handle one way of failing.
  return async function verifyWithWebCrypto(headers, rawBody) {
    const { id, timestamp, content, signatures } = prepare(headers, rawBody);
    return verified(await matches(content, signatures), id, timestamp, headers);
  };
}

/**
 * Verifies one delivery. For many deliveries, {@link createVerifier} decodes the secrets once.
 * Synchronous where the runtime has `node:crypto`, a promise elsewhere: `await` it to run anywhere.
 *
 * @example
 * ```ts
 * const { id, timestamp } = await verifySignature({ secret, headers: req.headers, rawBody });
 * ```
 * @throws {TraxWebhookError} when the delivery is missing a header, forged, or outside the tolerance
 * @throws {TypeError} for bad options
 */
export function verifySignature(
  options: VerifierOptions & { crypto: 'node'; headers: HeaderSource; rawBody: RawBody },
): VerifiedDelivery;
export function verifySignature(
  options: VerifierOptions & { crypto: 'web'; headers: HeaderSource; rawBody: RawBody },
): Promise<VerifiedDelivery>;
export function verifySignature(
  options: VerifierOptions & { headers: HeaderSource; rawBody: RawBody },
): VerifiedDelivery | Promise<VerifiedDelivery>;
export function verifySignature(
  options: VerifierOptions & { headers: HeaderSource; rawBody: RawBody },
): VerifiedDelivery | Promise<VerifiedDelivery> {
  return createVerifier(options)(options.headers, options.rawBody);
}

function createMatcher(
  choice: 'auto' | CryptoImplementation,
  keys: readonly Uint8Array[],
  scheme: SignatureScheme,
): { implementation: CryptoImplementation; matches: SignatureMatcher } {
  if (choice !== 'auto' && choice !== 'node' && choice !== 'web') {
    throw new TypeError('crypto option must be "auto", "node" or "web"');
  }
  const node = choice === 'web' ? undefined : loadNodeCrypto();
  if (node) {
    return {
      implementation: 'node',
      matches: createNodeMatcher(node, keys, scheme.algorithm, scheme.encoding),
    };
  }
  if (choice === 'node')
    throw new TypeError('crypto option "node": this runtime has no node:crypto');
  const subtle = webSubtle();
  if (!subtle) {
    throw new TypeError('this runtime has neither node:crypto nor Web Crypto (crypto.subtle)');
  }
  return {
    implementation: 'web',
    matches: createWebMatcher(subtle, keys, scheme.algorithm, scheme.encoding),
  };
}

function missing(header: string): TraxWebhookError {
  return new TraxWebhookError('MISSING_HEADER', `The delivery has no ${header} header.`);
}

function readAttempt(
  headers: HeaderSource,
  header: string | undefined,
  idHeader: string,
): number | undefined {
  if (header === undefined) return undefined;
  // The attempt header is optional, so usually absent. When the id was found under its exact
  // name the headers use lower-case names (Node, Fastify, Fetch): absent is then absent,
  // without the case-insensitive scan of every name (a few hundred instructions a delivery).
  const value =
    readHeaderExact(headers, header) ??
    (readHeaderExact(headers, idHeader) === undefined ? readHeader(headers, header) : undefined);
  if (value === undefined) return undefined;
  const attempt = Number(value);
  return Number.isSafeInteger(attempt) && attempt > 0 ? attempt : undefined;
}
