import { signDelivery } from '@trax-webhooks/core';
import { UsageError } from './usage-error.js';

/**
 * The signing secret from `--secret` or `TRAX_WEBHOOK_SECRET`, checked by signing a dummy
 * delivery so a malformed secret fails before anything is sent. Errors never contain it.
 */
export function readSecret(env: Record<string, string | undefined>, flag?: string): string {
  const secret = flag ?? env.TRAX_WEBHOOK_SECRET;
  const from = flag !== undefined ? '--secret' : 'TRAX_WEBHOOK_SECRET';
  if (secret === undefined || secret.trim() === '') {
    throw new UsageError(
      'Missing signing secret: set TRAX_WEBHOOK_SECRET (the whsec_… secret your receiver verifies with)',
    );
  }
  try {
    signDelivery({ secret, payload: '{}', id: 'msg_check' });
  } catch (error) {
    // Core's messages describe the problem, never the secret.
    const reason =
      error instanceof Error
        ? error.message.replace(/^secret option:?\s*/, '')
        : 'cannot be decoded';
    throw new UsageError(`${from} is not a usable secret: ${reason}`);
  }
  return secret;
}

/** The TRaX API key from `TRAX_API_KEY` (never a flag: flags end up in shell history and `ps`). */
export function readApiKey(env: Record<string, string | undefined>): string {
  const key = env.TRAX_API_KEY;
  if (key === undefined || key.trim() === '') {
    throw new UsageError(
      'Missing TRaX API key: set TRAX_API_KEY (an sk_live_… key that can read stream-status)',
    );
  }
  return key.trim();
}
