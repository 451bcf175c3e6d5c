import { type AnyTraxEvent, type SignDeliveryOptions, signDelivery } from '@trax-webhooks/core';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OTHER_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';

export function liveEvent(
  studioId = 'st_1',
  liveStartedAt = '2026-11-27T12:00:00.000Z',
): AnyTraxEvent {
  return {
    type: 'stream.live',
    timestamp: '2026-11-27T12:00:01.000Z',
    data: { studioId, encoderStreamId: 'enc_1', liveStartedAt, mode: 'cloud' },
  };
}

/** A signed request as an adapter would hand it to `receive`. */
export function signedRequest(options: Partial<SignDeliveryOptions> = {}) {
  const signed = signDelivery({ secret: SECRET, payload: liveEvent(), ...options });
  return { headers: signed.headers, rawBody: Buffer.from(signed.body), id: signed.id };
}
