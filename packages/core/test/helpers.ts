import { type SignDeliveryOptions, signDelivery } from '@trax-webhooks/core';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';

export { liveEvent, OTHER_SECRET, SECRET } from '../../../test-support/fixtures.js';

/** A signed request as an adapter would hand it to `receive`. */
export function signedRequest(options: Partial<SignDeliveryOptions> = {}) {
  const signed = signDelivery({ secret: SECRET, payload: liveEvent(), ...options });
  return { headers: signed.headers, rawBody: Buffer.from(signed.body), id: signed.id };
}
