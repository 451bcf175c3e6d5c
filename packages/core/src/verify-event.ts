import { isTraxWebhookError, TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { HeaderSource } from './headers.js';
import { parseEvent } from './parse-event.js';
import { memoizedVerifier } from './verifier-memo.js';
import type { RawBody, VerifierOptions } from './verify-signature.js';

/** Options of {@link verifyEvent}: the verifier's options and one delivery. */
export interface VerifyEventOptions extends VerifierOptions {
  /** The request headers: a fetch `Headers`, Node's `IncomingHttpHeaders` or a plain record. */
  headers: HeaderSource;
  /** The body exactly as it arrived: bytes, or their text. Never re-serialised JSON. */
  rawBody: RawBody;
}

/**
 * Verifies one delivery and parses it into a typed event, in one call — for code that
 * receives outside an adapter (a queue consumer, a serverless function that routes itself).
 * Like Stripe's `constructEvent`, but async, so that it runs on Web Crypto where the runtime
 * has no `node:crypto`. It does not deduplicate: that is the receiver's job.
 *
 * @example
 * ```ts
 * const event = await verifyEvent({
 *   secret: process.env.TRAX_WEBHOOK_SECRET!,
 *   headers: request.headers,
 *   rawBody: new Uint8Array(await request.arrayBuffer()),
 * });
 * if (isEventOfType(event, 'stream.live')) event.data.liveStartedAt; // typed
 * ```
 * @remarks It rejects with {@link TraxWebhookError} (its `status` is the answer to give:
 * 400, 401) for a delivery that is forged, stale or malformed, and with `TypeError` for bad
 * options; it never rejects with anything else.
 */
export async function verifyEvent(options: VerifyEventOptions): Promise<AnyTraxEvent> {
  // The same options call after call (the usual case) reuse one verifier.
  const verify = memoizedVerifier(options);
  const { headers, rawBody } = options;
  let id: string;
  try {
    ({ id } = await verify(headers, rawBody));
  } catch (error) {
    if (isTraxWebhookError(error)) throw error;
    // Only a custom scheme's header reader can get here; ours throw nothing else.
    throw new TraxWebhookError(
      'MALFORMED_HEADER',
      'The signature scheme could not read the delivery headers.',
      { cause: error },
    );
  }
  // Only now may anything read the body.
  return parseEvent(rawBody, id);
}
