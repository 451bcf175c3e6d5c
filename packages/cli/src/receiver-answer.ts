import type { DeliveryAttempt } from '@trax-webhooks/sender';

/** What a receiver made of a delivery it answered 2xx. */
export type ReceiverAnswer = 'handled' | 'duplicate' | 'accepted' | 'queued' | 'failed-permanently';

/**
 * Reads a 2xx answer: trax-webhooks receivers say `{ duplicate: true }` for a delivery they had
 * already, `{ accepted: true }` (or another 202) when handlers run after the answer,
 * `{ queued: true }` when workers will run them, and
 * `{ permanentFailure: true }` when a handler gave up. Any other 2xx is `handled`.
 */
export function receiverAnswer(attempt: DeliveryAttempt): ReceiverAnswer {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(attempt.responseBody ?? '');
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a receiver of another make; its status is all there is to go by.
  }
  if (body.duplicate === true) return 'duplicate';
  if (body.permanentFailure === true) return 'failed-permanently';
  if (body.queued === true) return 'queued';
  if (attempt.status === 202 || body.accepted === true) return 'accepted';
  return 'handled';
}
