import { computeSignature } from './compute-signature.js';
import { utf8Bytes } from './crypto/bytes.js';
import { decodeSecrets, type WebhookSecrets } from './secrets.js';
import { type SignatureScheme, standardWebhooksScheme } from './signature-scheme.js';

/** Options of {@link signDelivery}. */
export interface SignDeliveryOptions {
  /** The secret, or several: one signature per secret, as a sender does mid-rotation. */
  secret: WebhookSecrets;
  /** The body: an object is serialised with `JSON.stringify`; a string or bytes are sent as they are. */
  payload: unknown;
  /** The delivery id. Keep it across retries of one delivery. @default `msg_<uuid>` */
  id?: string;
  /** When it is signed: a `Date` or unix seconds. @default now */
  timestamp?: Date | number;
  /** The attempt number, for schemes with an attempt header. */
  attempt?: number;
  /** How to sign. @default standardWebhooksScheme */
  scheme?: SignatureScheme;
}

/** A signed delivery, ready to POST. */
export interface SignedDelivery {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  /** The headers to send, including `content-type`. */
  headers: Record<string, string>;
  /** The exact bytes that were signed. */
  body: string;
}

/**
 * Signs a delivery the way TRaX will: for tests, local tools and senders. Synchronous, so it
 * needs `node:crypto` (Node, Bun, Deno).
 *
 * @example
 * ```ts
 * const { headers, body } = signDelivery({
 *   secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
 *   payload: { type: 'stream.live', timestamp: new Date().toISOString(), data: { studioId: 'st_1', … } },
 * });
 * await fetch(url, { method: 'POST', headers, body });
 * ```
 * @throws {TypeError} for bad options
 */
export function signDelivery(options: SignDeliveryOptions): SignedDelivery {
  const scheme = options.scheme ?? standardWebhooksScheme;
  const keys = decodeSecrets(options.secret, scheme);
  const id = options.id ?? `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  if (typeof id !== 'string' || id.length === 0)
    throw new TypeError('id option must be a non-empty string');
  const timestamp =
    options.timestamp instanceof Date
      ? Math.floor(options.timestamp.getTime() / 1000)
      : (options.timestamp ?? Math.floor(Date.now() / 1000));
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('timestamp option must be a Date or a nonnegative integer of unix seconds');
  }
  const { payload } = options;
  const body =
    typeof payload === 'string'
      ? payload
      : payload instanceof Uint8Array
        ? new TextDecoder().decode(payload)
        : JSON.stringify(payload);
  if (typeof body !== 'string') throw new TypeError('payload option must be JSON-serialisable');
  const bodyBytes = utf8Bytes(body);
  const timestampText = String(timestamp);
  const content = scheme.signedContent({ id, timestamp: timestampText, body: bodyBytes });
  const signatures = keys.map((key) => computeSignature(scheme, key, content));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [scheme.idHeader]: id,
    [scheme.signatureHeader]: scheme.formatSignatureHeader(signatures, timestampText),
  };
  if (scheme.timestampHeader) headers[scheme.timestampHeader] = timestampText;
  if (scheme.attemptHeader && options.attempt !== undefined)
    headers[scheme.attemptHeader] = String(options.attempt);
  return { id, timestamp, headers, body };
}
