import { timingSafeEqual } from 'node:crypto';
import { computeSignature } from './compute-signature.js';
import { TraxWebhookError } from './errors.js';
import { type HeaderSource, readHeader } from './headers.js';
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

/** Verifies one delivery's headers and raw bytes. */
export type Verifier = (
  headers: HeaderSource,
  rawBody: Buffer | Uint8Array | string,
) => VerifiedDelivery;

const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Builds a verifier with the secrets decoded once. It throws nothing but
 * {@link TraxWebhookError}, whose messages never contain a secret or a signature.
 *
 * @example
 * ```ts
 * const verify = createVerifier({ secret: process.env.TRAX_WEBHOOK_SECRET! });
 * const { id } = verify(req.headers, rawBody); // throws TraxWebhookError (401/400) when forged
 * ```
 * @throws {TypeError} for bad options
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const scheme = options.scheme ?? standardWebhooksScheme;
  const keys = decodeSecrets(options.secret, scheme);
  const tolerance = resolveTolerance(options.tolerance);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function')
    throw new TypeError('now option must be a function returning milliseconds');
  const { idHeader, timestampHeader, signatureHeader, attemptHeader } = scheme;

  return function verifyDelivery(headers, rawBody) {
    const id = readHeader(headers, idHeader);
    if (!id) throw missing(idHeader);
    const signatureValue = readHeader(headers, signatureHeader);
    if (!signatureValue) throw missing(signatureHeader);
    const parsed = scheme.parseSignatureHeader(signatureValue);
    let timestampText = parsed.timestamp;
    if (timestampHeader !== undefined) {
      timestampText = readHeader(headers, timestampHeader);
      if (!timestampText) throw missing(timestampHeader);
    }
    let timestamp: number | undefined;
    if (timestampText !== undefined) {
      if (!UNIX_SECONDS.test(timestampText)) {
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

    const body =
      typeof rawBody === 'string'
        ? Buffer.from(rawBody, 'utf8')
        : Buffer.isBuffer(rawBody)
          ? rawBody
          : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
    const content = scheme.signedContent({ id, timestamp: timestampText, body });
    for (const key of keys) {
      const expected = Buffer.from(computeSignature(scheme, key, content), 'latin1');
      for (const candidate of parsed.signatures) {
        // Compare the encoded text: strict (no lenient base64 decoding) and timing-safe.
        if (
          candidate.length === expected.length &&
          timingSafeEqual(Buffer.from(candidate, 'latin1'), expected)
        ) {
          return { id, timestamp, attempt: readAttempt(headers, attemptHeader) };
        }
      }
    }
    throw new TraxWebhookError(
      'INVALID_SIGNATURE',
      'No signature on the delivery matches a configured secret.',
    );
  };
}

/**
 * Verifies one delivery. For many deliveries, {@link createVerifier} decodes the secrets once.
 *
 * @example
 * ```ts
 * const { id, timestamp } = verifySignature({ secret, headers: req.headers, rawBody });
 * ```
 * @throws {TraxWebhookError} when the delivery is missing a header, forged, or outside the tolerance
 * @throws {TypeError} for bad options
 */
export function verifySignature(
  options: VerifierOptions & { headers: HeaderSource; rawBody: Buffer | Uint8Array | string },
): VerifiedDelivery {
  return createVerifier(options)(options.headers, options.rawBody);
}

function missing(header: string): TraxWebhookError {
  return new TraxWebhookError('MISSING_HEADER', `The delivery has no ${header} header.`);
}

function readAttempt(headers: HeaderSource, header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = readHeader(headers, header);
  if (value === undefined) return undefined;
  const attempt = Number(value);
  return Number.isSafeInteger(attempt) && attempt > 0 ? attempt : undefined;
}
