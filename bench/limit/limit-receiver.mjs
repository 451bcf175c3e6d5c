// "The limit": the fastest correct receiver we know how to write by hand, with the guarantees
// trax-webhooks gives, and nothing a user would not need. Ours is measured against it
// (issue 15: ours ÷ limit ≤ 1.05×). It was written before any optimisation against it, in its
// own commit, then reviewed independently for correctness and for being the fastest correct
// code: bench/limit/REVIEW.md (what was checked, changed, measured and rejected), and
// bench/limit/limit.check.mjs checks every guarantee below through real HTTP on both mounts.
//
// The guarantees, for a Standard Webhooks delivery:
// - the raw body bytes are what is verified (the framework glue reads them, capped at 1 MiB);
// - the three headers are required and non-empty; the timestamp must be within 5 minutes, in
//   both directions (a NaN or non-numeric timestamp fails the window check, it is not waved
//   through);
// - HMAC-SHA256 over `id.timestamp.body`, the secret decoded from `whsec_` base64 once, as a
//   KeyObject; every `v1,` candidate in the header compared in constant time (a repeated
//   header line, which Node joins with ", ", included);
// - the body strictly UTF-8 (no U+FFFD, no dropped BOM), JSON.parse of it, and the envelope
//   checked as core checks it (`type` a non-empty string, `timestamp` a string, `data` an
//   object; arrays are not objects here);
// - a two-phase dedupe keyed by the delivery id, in lru-cache: claim (in flight) → handler →
//   complete, or release on failure so that the sender's retry runs the handler again;
//   a copy that arrives while one is in flight is told to come back (409 + Retry-After), a copy
//   that arrives after is acknowledged without running the handler (200, duplicate).
// What it leaves out, because it would cost and a hand-written route would not have it:
// observers, logging, key rotation, other schemes, header aliases, error objects, the
// `data.studioId` check of known types. An in-flight claim has a 30 s lease (lru-cache's
// per-entry ttl), as core's store does: a handler that never settles does not block its
// delivery forever (added after the review, REVIEW.md).
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const TOLERANCE_SECONDS = 300;
const IN_FLIGHT = 1;
const DONE = 2;
const LEASE_MS = 30_000;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
 * Standard Webhooks: the three headers, the replay window, HMAC-SHA256 of `id.timestamp.body`
 * with the `whsec_` secret. Answers the delivery id, or the refusal.
 */
function standardAuthenticator(secret) {
  const key = createSecretKey(Buffer.from(secret.slice(6), 'base64'));

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
      // A repeated header line reaches us joined with ", " (Node does that): base64 has no
      // comma, so a trailing one is the join's, not the signature's.
      const last = signatures.charCodeAt(end - 1) === 44 ? end - 1 : end;
      if (last - start - 3 === expected.length && signatures.startsWith('v1,', start)) {
        // latin1 is how Node decoded the header bytes, so this is the bytes that were sent.
        if (timingSafeEqual(Buffer.from(signatures.slice(start + 3, last), 'latin1'), expected))
          valid = true;
      }
      start = end + 1;
    }
    return valid;
  }

  return function authenticate(headers, rawBody) {
    const id = headers['webhook-id'];
    const timestamp = headers['webhook-timestamp'];
    const signatures = headers['webhook-signature'];
    // Missing or empty: an empty id would make every such delivery one dedupe key.
    if (!id || !timestamp || !signatures) return ANSWERS.badRequest;
    if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS))
      return ANSWERS.unauthorized;
    if (!matches(id, timestamp, signatures, rawBody)) return ANSWERS.unauthorized;
    return id;
  };
}

/**
 * GitHub-style (the pair of octokit and of our GitHub-style preset): `x-hub-signature-256:
 * sha256=<hex>` of the body alone, the secret as UTF-8, the id from `trax-delivery-id`. No
 * timestamp, so no replay window: the scheme has none (it is the scheme's guarantee, not ours).
 * Added by the lead after the review, from the reviewed Standard Webhooks code.
 */
function githubAuthenticator(secret) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return function authenticate(headers, rawBody) {
    const id = headers['trax-delivery-id'];
    const signature = headers['x-hub-signature-256'];
    if (!id || !signature) return ANSWERS.badRequest;
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', key).update(rawBody).digest('hex')}`,
      'latin1',
    );
    if (signature.length !== expected.length) return ANSWERS.unauthorized;
    if (!timingSafeEqual(Buffer.from(signature, 'latin1'), expected)) return ANSWERS.unauthorized;
    return id;
  };
}

/**
 * Builds `receive(headers, rawBody)` for one secret and one handler. It returns one of
 * {@link ANSWERS}, synchronously when the handler returns a non-promise, else a promise of
 * one. `headers` is Node's lower-cased header object; `rawBody` a Buffer. `scheme` is
 * 'standard' (a `whsec_` secret) or 'github' (a plain secret).
 */
export function createLimitReceiver(secret, handler, { max = 100_000, scheme = 'standard' } = {}) {
  const authenticate =
    scheme === 'github' ? githubAuthenticator(secret) : standardAuthenticator(secret);
  const claims = new LRUCache({ max });

  return function receive(headers, rawBody) {
    const id = authenticate(headers, rawBody);
    if (typeof id !== 'string') return id;
    let event;
    try {
      // fatal: invalid UTF-8 is refused, not handed over with U+FFFD in place of signed bytes;
      // ignoreBOM: a byte-order mark is kept, so JSON.parse refuses it instead of the decoder
      // dropping it silently. (Faster than toString, which does neither: see REVIEW.md.)
      event = JSON.parse(utf8.decode(rawBody));
    } catch {
      return ANSWERS.badRequest;
    }
    // The envelope, as core checks it: an object with a non-empty `type`, a string `timestamp`
    // and an object `data` (arrays are objects to typeof, not envelopes).
    if (
      typeof event !== 'object' ||
      event === null ||
      Array.isArray(event) ||
      typeof event.type !== 'string' ||
      event.type === '' ||
      typeof event.timestamp !== 'string' ||
      typeof event.data !== 'object' ||
      event.data === null ||
      Array.isArray(event.data)
    )
      return ANSWERS.badRequest;

    const state = claims.get(id);
    if (state === DONE) return ANSWERS.duplicate;
    if (state === IN_FLIGHT) return ANSWERS.inFlight;
    claims.set(id, IN_FLIGHT, { ttl: LEASE_MS });
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
