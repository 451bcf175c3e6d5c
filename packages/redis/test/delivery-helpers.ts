import { type AnyTraxEvent, signDelivery } from '@trax-webhooks/core';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export function liveEvent(studioId = 'st_1'): AnyTraxEvent {
  return {
    type: 'stream.live',
    timestamp: '2026-11-27T12:00:01.000Z',
    data: {
      studioId,
      encoderStreamId: 'enc_1',
      liveStartedAt: '2026-11-27T12:00:00.000Z',
      mode: 'cloud',
    },
  };
}

/** A signed request as an adapter hands it to `receive`; the same id on every call with `id`. */
export function signedRequest(id?: string) {
  const signed = signDelivery({ secret: SECRET, payload: liveEvent(), id });
  return { headers: signed.headers, rawBody: Buffer.from(signed.body), id: signed.id };
}
