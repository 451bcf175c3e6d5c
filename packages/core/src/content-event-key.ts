import type { AnyTraxEvent } from './events.js';

/**
 * A dedupe key derived from what an event says, not from how it was delivered: the same
 * studio going live in the same session (start time and encoder stream) gives the same key whether it was polled or pushed.
 * Pass it as `dedupeKey` when the poller runs as a safety net beside real webhooks, so the
 * store drops the second copy across both sources. Types without a natural identity fall
 * back to the delivery id.
 *
 * @example
 * ```ts
 * traxWebhooks({ secret, store, dedupeKey: contentEventKey });
 * ```
 */
export function contentEventKey(event: AnyTraxEvent): string | undefined {
  const data = event.data as Record<string, unknown>;
  const studio = data.studioId;
  if (typeof studio !== 'string') return undefined;
  switch (event.type) {
    case 'stream.live':
    case 'stream.offline':
      // A session is its start time and its encoder stream: an encoder-only restart is a new
      // session, and the poller's delivery ids count it as one too.
      return typeof data.liveStartedAt === 'string'
        ? `${event.type}:${studio}:${data.liveStartedAt}:${typeof data.encoderStreamId === 'string' ? data.encoderStreamId : ''}`
        : undefined;
    case 'chat.message':
      return typeof data.messageId === 'string'
        ? `${event.type}:${studio}:${data.messageId}`
        : undefined;
    default:
      return undefined;
  }
}
