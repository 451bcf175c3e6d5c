// Fresh, validly signed `stream.live` deliveries for the in-process benches (bench:pipeline,
// bench:observer), handed over the way an HTTP parser would: new header strings and a new body
// buffer per request.
import { signDelivery } from '@trax-webhooks/core';

/** `count` signed, distinct deliveries, kept as bytes so each request can rebuild its strings. */
export function presign(secret, count, offset) {
  const pool = new Array(count);
  for (let n = 0; n < count; n++) {
    const now = new Date().toISOString();
    const payload = {
      type: 'stream.live',
      timestamp: now,
      data: {
        studioId: `st_${n % 1000}`,
        encoderStreamId: `enc_${offset + n}`,
        liveStartedAt: now,
      },
    };
    const { headers, body } = signDelivery({ secret, payload });
    pool[n] = {
      id: Buffer.from(headers['webhook-id'], 'latin1'),
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      body: Buffer.from(body),
    };
  }
  return pool;
}

/** What the HTTP layer hands over: fresh strings and a fresh body buffer per request. */
export function request(delivery) {
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': delivery.id.toString('latin1'),
      'webhook-timestamp': delivery.timestamp,
      'webhook-signature': delivery.signature,
    },
    rawBody: Buffer.from(delivery.body),
  };
}
