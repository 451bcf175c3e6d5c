import { TraxWebhookError } from './errors.js';
import { type AnyTraxEvent, isTraxEventType } from './events.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a verified body into an event envelope. Only the envelope is checked
 * (`type`, `timestamp`, `data`, and `data.studioId` for known types): TRaX may add fields before it ships, and those
 * pass through untouched.
 *
 * @throws {TraxWebhookError} `INVALID_JSON` or `INVALID_ENVELOPE`
 */
export function parseEvent(rawBody: Buffer | string, deliveryId?: string): AnyTraxEvent {
  let value: unknown;
  try {
    value = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
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
