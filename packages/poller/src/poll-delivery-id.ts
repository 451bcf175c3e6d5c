import { createHash } from 'node:crypto';

/** What identifies one live session of a studio. */
export interface SessionKey {
  readonly liveStartedAt: string;
  readonly encoderStreamId: string;
}

/**
 * The delivery id of a polled event: `poll_` + 32 hex digits of SHA-256 over (studio, session
 * start, encoder stream, type). The same transition always gets the same id, so a restarted
 * poller, or two pollers sharing a delivery store, run its handlers once. The encoder stream is
 * part of the session because a restart may keep `liveStartedAt` and change only the stream.
 *
 * @example
 * ```ts
 * pollDeliveryId('st_1', { liveStartedAt: '2026-11-27T12:00:00Z', encoderStreamId: 'es_1' }, 'stream.live');
 * // → 'poll_3f1c…'
 * ```
 */
export function pollDeliveryId(studioId: string, session: SessionKey, type: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([studioId, session.liveStartedAt, session.encoderStreamId, type]))
    .digest('hex');
  return `poll_${digest.slice(0, 32)}`;
}
