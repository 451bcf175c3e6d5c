import type { TraxEvent, TraxEventMap, TraxEventType } from '@trax-webhooks/core';

type DataOverrides<T extends TraxEventType> = Partial<TraxEventMap[T]> & Record<string, unknown>;

/** Plausible `data` for each announced type; the caller's fields win. */
function defaultData(type: string, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  switch (type) {
    case 'stream.live':
      return { studioId: 'st_test', encoderStreamId: 'enc_test', liveStartedAt: at, mode: 'cloud' };
    case 'stream.offline':
      return {
        studioId: 'st_test',
        encoderStreamId: 'enc_test',
        liveStartedAt: at,
        mode: 'cloud',
        endedAt: at,
      };
    case 'source.status_changed':
      return {
        studioId: 'st_test',
        sourceId: 'src_test',
        status: 'connected',
        previousStatus: 'disconnected',
      };
    case 'destination.status_changed':
      return {
        studioId: 'st_test',
        destinationId: 'dst_test',
        status: 'connected',
        previousStatus: null,
      };
    case 'chat.message':
      return {
        studioId: 'st_test',
        messageId: 'msg_test',
        author: { name: 'Test Viewer', platform: 'youtube' },
        text: 'Hello from trax-webhooks',
        sentAt: at,
      };
    default:
      return { studioId: 'st_test' };
  }
}

/**
 * Builds a valid event envelope of any of the five announced types, with plausible data that
 * `data` overrides (a type not in the catalog gets `{ studioId: 'st_test' }` plus `data`).
 *
 * @example
 * ```ts
 * const event = createTestEvent('stream.live', { studioId: 'st_1' });
 * // { type: 'stream.live', timestamp: '…', data: { studioId: 'st_1', encoderStreamId: 'enc_test', … } }
 * ```
 * @throws {TypeError} for an empty type or non-object data
 */
export function createTestEvent<T extends TraxEventType>(
  type: T,
  data?: DataOverrides<T>,
  timestamp?: Date,
): TraxEvent<T>;
export function createTestEvent(
  type: string,
  data?: Record<string, unknown>,
  timestamp?: Date,
): TraxEvent<string, Record<string, unknown>>;
export function createTestEvent(
  type: string,
  data: Record<string, unknown> = {},
  timestamp = new Date(Date.now()),
) {
  if (typeof type !== 'string' || type.length === 0)
    throw new TypeError('type must be a non-empty event type string');
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new TypeError('data must be an object');
  return {
    type,
    timestamp: timestamp.toISOString(),
    data: { ...defaultData(type, timestamp), ...data },
  };
}
