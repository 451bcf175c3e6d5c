// "The limit": the fastest correct receiver we know how to write by hand, with the guarantees
// trax-webhooks gives, and nothing a user would not need. Ours is measured against it
// (issue 15: ours ÷ limit ≤ 1.05×). It was written before any optimisation against it, in its
// own commit, and reviewed for being the fastest correct code (see bench/limit/REVIEW.md).
//
// The guarantees, for a Standard Webhooks delivery:
// - the raw body bytes are what is verified (the framework glue reads them; see the servers);
// - the three headers are required; the timestamp must be within 5 minutes, in both directions
//   (a NaN or non-numeric timestamp fails the window check, it is not waved through);
// - HMAC-SHA256 over `id.timestamp.body`, the secret decoded from `whsec_` base64 once, as a
//   KeyObject; every `v1,` candidate in the header compared in constant time;
// - JSON.parse of the body, and the envelope checked (`type` a string, `data` an object);
// - a two-phase dedupe keyed by the delivery id, in lru-cache: claim (in flight) → handler →
//   complete, or release on failure so that the sender's retry runs the handler again;
//   a copy that arrives while one is in flight is told to come back (409 + Retry-After), a copy
//   that arrives after is acknowledged without running the handler (200, duplicate).
// What it leaves out, because it would cost and a hand-written route would not have it:
// observers, logging, key rotation, other schemes, header aliases, error objects.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const TOLERANCE_SECONDS = 300;
const IN_FLIGHT = 1;
const DONE = 2;

/** A ready answer: status, headers and body, built once. */
function answer(status, body, extraHeaders = {}) {
  const text = JSON.stringify(body);
  return Object.freeze({
    status,
    body: text,
    headers: Object.freeze({
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...extraHeaders,
    }),
  });
}

export const ANSWERS = Object.freeze({
  handled: answer(200, { ok: true }),
  duplicate: answer(200, { ok: true, duplicate: true }),
  badRequest: answer(400, { ok: false, error: 'bad request' }),
  unauthorized: answer(401, { ok: false, error: 'unauthorized' }),
  inFlight: answer(409, { ok: false, error: 'in flight' }, { 'retry-after': '1' }),
  tooLarge: answer(413, { ok: false, error: 'too large' }, { connection: 'close' }),
  failed: answer(500, { ok: false, error: 'handler failed' }),
});

/** The body limit every receiver in the comparison has (core's default, 1 MiB). */
export const BODY_LIMIT = 1_048_576;

/**
 * Builds `receive(headers, rawBody)` for one `whsec_` secret and one handler. It returns one
 * of {@link ANSWERS}, synchronously when the handler returns a non-promise, else a promise of
 * one. `headers` is Node's lower-cased header object; `rawBody` a Buffer.
 */
export function createLimitReceiver(secret, handler, { max = 100_000 } = {}) {
  const key = createSecretKey(Buffer.from(secret.slice(6), 'base64'));
  const claims = new LRUCache({ max });

  function matches(id, timestamp, signatures, rawBody) {
    const expected = Buffer.from(
      createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest('base64'),
    );
    let valid = false;
    let start = 0;
    // Every candidate is compared (no early exit), each in constant time.
    while (start < signatures.length) {
      let end = signatures.indexOf(' ', start);
      if (end < 0) end = signatures.length;
      if (signatures.startsWith('v1,', start) && end - start - 3 === expected.length) {
        if (timingSafeEqual(Buffer.from(signatures.slice(start + 3, end), 'latin1'), expected))
          valid = true;
      }
      start = end + 1;
    }
    return valid;
  }

  return function receive(headers, rawBody) {
    const id = headers['webhook-id'];
    const timestamp = headers['webhook-timestamp'];
    const signatures = headers['webhook-signature'];
    if (id === undefined || timestamp === undefined || signatures === undefined)
      return ANSWERS.badRequest;
    if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS))
      return ANSWERS.unauthorized;
    if (!matches(id, timestamp, signatures, rawBody)) return ANSWERS.unauthorized;
    let event;
    try {
      event = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return ANSWERS.badRequest;
    }
    if (
      event === null ||
      typeof event !== 'object' ||
      typeof event.type !== 'string' ||
      event.data === null ||
      typeof event.data !== 'object'
    )
      return ANSWERS.badRequest;

    const state = claims.get(id);
    if (state === DONE) return ANSWERS.duplicate;
    if (state === IN_FLIGHT) return ANSWERS.inFlight;
    claims.set(id, IN_FLIGHT);
    let result;
    try {
      result = handler(event);
    } catch {
      claims.delete(id);
      return ANSWERS.failed;
    }
    if (result === null || typeof result !== 'object' || typeof result.then !== 'function') {
      claims.set(id, DONE);
      return ANSWERS.handled;
    }
    return result.then(
      () => {
        claims.set(id, DONE);
        return ANSWERS.handled;
      },
      () => {
        claims.delete(id);
        return ANSWERS.failed;
      },
    );
  };
}
