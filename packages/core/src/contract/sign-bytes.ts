import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks headers for raw bytes (signDelivery signs text as UTF-8, so bytes that are
 * not UTF-8 cannot go through it): what a sender that signs whatever bytes it sends would send.
 */
export function signBytes(secret: string, id: string, bytes: Uint8Array): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key)
    .update(`${id}.${timestamp}.`)
    .update(bytes)
    .digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}
