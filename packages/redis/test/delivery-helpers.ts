import { signDelivery } from '@trax-webhooks/core';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';

export { liveEvent, SECRET } from '../../../test-support/fixtures.js';

/** A signed request as an adapter hands it to `receive`; the same id on every call with `id`. */
export function signedRequest(id?: string) {
  const signed = signDelivery({ secret: SECRET, payload: liveEvent(), id });
  return { headers: signed.headers, rawBody: Buffer.from(signed.body), id: signed.id };
}
