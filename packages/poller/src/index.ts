export {
  type ParsedStreamStatus,
  parseStreamStatus,
  type StreamStatus,
} from './parse-stream-status.js';
export { pollDeliveryId, type SessionKey } from './poll-delivery-id.js';
export {
  type PendingDelivery,
  type PollerStats,
  type PollTarget,
  pollStreamStatus,
  type StreamStatusPoller,
} from './poll-stream-status.js';
export { DEFAULT_BASE_URL, type PollStreamStatusOptions } from './poller-options.js';
export type { FetchLike } from './status-transport.js';
