// Fresh, validly signed deliveries for the HTTP comparisons, one per request: every request
// carries a new delivery id, so no receiver's dedupe ever short-cuts one. Each scheme signs the
// same kind of payload (a ~300-byte `stream.live` event) the way its senders do.
import { createHmac, randomUUID } from 'node:crypto';
import { signDelivery } from '@trax-webhooks/core';
import { PLAIN_SECRET, STANDARD_SECRET } from './bench-secrets.mjs';

function payload(n) {
  const now = new Date().toISOString();
  return {
    type: 'stream.live',
    timestamp: now,
    data: {
      studioId: `st_${n % 1000}`,
      encoderStreamId: `enc_${n}`,
      liveStartedAt: now,
      mode: 'cloud',
    },
  };
}

const signers = {
  /** Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64>`. */
  standard(n) {
    const { headers, body } = signDelivery({ secret: STANDARD_SECRET, payload: payload(n) });
    return { headers: { 'content-type': 'application/json', ...headers }, body };
  },
  /**
   * GitHub-style: `x-hub-signature-256: sha256=<hex>` of the body. The same request goes to
   * octokit (which wants `x-github-event` and `x-github-delivery`) and to our GitHub-style
   * preset (which takes its id from `trax-delivery-id`).
   */
  github(n) {
    const body = JSON.stringify(payload(n));
    const id = randomUUID();
    return {
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'stream.live',
        'x-github-delivery': id,
        'trax-delivery-id': id,
        'x-hub-signature-256': `sha256=${createHmac('sha256', PLAIN_SECRET).update(body).digest('hex')}`,
      },
      body,
    };
  },
  /** Stripe: `stripe-signature: t=<seconds>,v1=<hex of "t.body">`. */
  stripe(n) {
    const body = JSON.stringify({ id: `evt_${n}_${randomUUID()}`, object: 'event', ...payload(n) });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', PLAIN_SECRET).update(`${t}.${body}`).digest('hex');
    return {
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
      body,
    };
  },
};

/** `count` signed deliveries of `scheme` ('standard' | 'github' | 'stripe'), signed now. */
export function signPool(scheme, count, offset = 0) {
  const sign = signers[scheme];
  if (!sign) throw new TypeError(`unknown scheme ${scheme}`);
  return Array.from({ length: count }, (_, i) => sign(offset + i));
}

/** A copy of `delivery` whose signature no longer matches its body. */
export function tampered(delivery) {
  return { headers: delivery.headers, body: delivery.body.replace('stream.live', 'stream.livf') };
}
