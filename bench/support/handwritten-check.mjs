// The baseline every receiver bench compares against: what a careful hand-written receiver
// does with a Standard Webhooks delivery (the three headers, a 5-minute window, HMAC-SHA256 of
// `id.timestamp.body` with node:crypto, a timing-safe compare of each `v1,` signature, then
// JSON.parse) — and nothing more: no dedupe, no envelope check. One copy, so the Express, the
// Fastify and the pipeline benches all measure against the same work.
import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_SECONDS = 300;

/**
 * Builds the check for one `whsec_` secret. It answers `{ status: 200, event }` for a valid
 * delivery, `{ status: 400 }` for missing headers or a body that is not JSON, and
 * `{ status: 401 }` for a stale timestamp or a wrong signature.
 */
export function createHandwrittenCheck(secret) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return function check(headers, rawBody) {
    const id = headers['webhook-id'];
    const timestamp = headers['webhook-timestamp'];
    const signatures = headers['webhook-signature'];
    if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
      return { status: 400 };
    // `!(… <= …)`: a timestamp that is not a number (NaN) fails the window, it is not let through.
    if (!(Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) <= TOLERANCE_SECONDS))
      return { status: 401 };
    const expected = Buffer.from(
      createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest('base64'),
    );
    const valid = signatures.split(' ').some((entry) => {
      const candidate = Buffer.from(entry.slice(entry.indexOf(',') + 1));
      return (
        entry.startsWith('v1,') &&
        candidate.length === expected.length &&
        timingSafeEqual(candidate, expected)
      );
    });
    if (!valid) return { status: 401 };
    try {
      return { status: 200, event: JSON.parse(rawBody.toString('utf8')) };
    } catch {
      return { status: 400 };
    }
  };
}
