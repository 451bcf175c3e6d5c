import { randomBytes } from 'node:crypto';
import { type SignDeliveryOptions, signDelivery } from '@trax-webhooks/core';

/** A fresh Standard Webhooks secret per test file. */
export const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

export function streamLive(studioId = 'st_1') {
  return {
    type: 'stream.live',
    timestamp: new Date().toISOString(),
    data: {
      studioId,
      encoderStreamId: 'enc_1',
      liveStartedAt: new Date().toISOString(),
      mode: 'cloud',
    },
  };
}

/** A delivery signed with {@link SECRET} (override anything, e.g. the secret or timestamp). */
export function signed(options: Partial<SignDeliveryOptions> = {}) {
  return signDelivery({ secret: SECRET, payload: streamLive(), ...options });
}

/** A promise with its resolver, to hold a handler until the test lets it go. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}
