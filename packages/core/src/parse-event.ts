import { asciiText } from './ascii-text.js';
import { TraxWebhookError } from './errors.js';
import { type AnyTraxEvent, isTraxEventType } from './events.js';

// `fatal`: a signed body of invalid UTF-8 is refused, not handed to a handler with U+FFFD in
// place of what was sent. `ignoreBOM`: a byte-order mark is kept, so JSON.parse refuses it
// rather than this decoder silently dropping signed bytes.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a verified body into an event envelope. Only the envelope is checked
 * (`type`, `timestamp`, `data`, and `data.studioId` for known types): TRaX may add fields
 * before it ships, and those pass through untouched.
 *
 * @param rawBody the verified bytes (`Uint8Array`, which includes Node's `Buffer`) or text
 * @throws {TraxWebhookError} `INVALID_JSON` (not UTF-8, or not JSON) or `INVALID_ENVELOPE`
 */
export function parseEvent(rawBody: Uint8Array | string, deliveryId?: string): AnyTraxEvent {
  let text: string;
  if (typeof rawBody === 'string') text = rawBody;
  else if (rawBody instanceof Uint8Array) {
    try {
      text = asciiText(rawBody) ?? utf8.decode(rawBody);
    } catch {
      throw new TraxWebhookError('INVALID_JSON', 'The delivery body is not valid UTF-8.', {
        deliveryId,
      });
    }
  } else {
    throw new TypeError('parseEvent() takes the body as a Uint8Array or a string');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TraxWebhookError('INVALID_JSON', 'The delivery body is not valid JSON.', {
      deliveryId,
    });
  }
  return assertEnvelope(value, deliveryId);
}

/**
 * Checks that an already-parsed value is an event envelope.
 *
 * @throws {TraxWebhookError} `INVALID_ENVELOPE`
 */
export function assertEnvelope(value: unknown, deliveryId?: string): AnyTraxEvent {
  const fail = (what: string): never => {
    throw new TraxWebhookError(
      'INVALID_ENVELOPE',
      `The delivery body is not a TRaX event: ${what}.`,
      {
        deliveryId,
      },
    );
  };
  if (!isPlainObject(value)) return fail('expected a JSON object');
  if (typeof value.type !== 'string' || value.type.length === 0)
    return fail('"type" must be a non-empty string');
  if (typeof value.timestamp !== 'string') return fail('"timestamp" must be a string');
  if (!isPlainObject(value.data)) return fail('"data" must be an object');
  // Known types are studio events; a type we do not know yet may not be.
  if (isTraxEventType(value.type) && typeof value.data.studioId !== 'string') {
    return fail('"data.studioId" must be a string');
  }
  return value as AnyTraxEvent;
}
