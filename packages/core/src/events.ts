/**
 * The TRaX event catalog as TypeScript types. TRaX says the shapes may change before
 * webhooks ship, so every `data` type is open: fields not known today pass through.
 */

/** How a studio streams, as stream-status reports it (`'cloud'` today; open for more). */
export type StreamMode = 'cloud' | (string & {});

/** Fields every event's `data` carries. */
export interface StudioEventData {
  /** The studio the event is about, e.g. `st_123`. */
  studioId: string;
  /** Fields TRaX adds later pass through untouched. */
  [field: string]: unknown;
}

/** `stream.live`: a studio went live. Carries what `GET /v1/studios/{id}/stream-status` carries. */
export interface StreamLiveData extends StudioEventData {
  /** The encoder stream that went live. */
  encoderStreamId: string;
  /** When this live session started (ISO 8601). Identifies the session. */
  liveStartedAt: string;
  /** How the studio streams. */
  mode: StreamMode;
}

/** `stream.offline`: a studio went offline. Describes the session that ended. */
export interface StreamOfflineData extends StudioEventData {
  /** The encoder stream of the session that ended, when known. */
  encoderStreamId?: string;
  /** When the session that ended had started (ISO 8601), when known. */
  liveStartedAt?: string;
  /** How the studio streamed, when known. */
  mode?: StreamMode;
  /** When the session ended (ISO 8601). For polled events: when the poll first saw it offline. */
  endedAt: string;
}

/** A source or destination status as TRaX reports it (open: new statuses pass through). */
export type ConnectionStatus = 'connected' | 'disconnected' | 'error' | (string & {});

/** `source.status_changed`: one of a studio's sources changed status. */
export interface SourceStatusChangedData extends StudioEventData {
  sourceId: string;
  status: ConnectionStatus;
  previousStatus: ConnectionStatus | null;
}

/** `destination.status_changed`: one of a studio's destinations changed status. */
export interface DestinationStatusChangedData extends StudioEventData {
  destinationId: string;
  status: ConnectionStatus;
  previousStatus: ConnectionStatus | null;
}

/** Who wrote a chat message. */
export interface ChatAuthor {
  id?: string;
  name: string;
  /** The platform the message came from, e.g. `youtube`, `twitch`. */
  platform?: string;
  [field: string]: unknown;
}

/** `chat.message`: a chat message was received. */
export interface ChatMessageData extends StudioEventData {
  messageId: string;
  author: ChatAuthor;
  text: string;
  /** When the message was sent (ISO 8601). */
  sentAt: string;
}

/** Every announced event type and the type of its `data`. */
export interface TraxEventMap {
  'stream.live': StreamLiveData;
  'stream.offline': StreamOfflineData;
  'source.status_changed': SourceStatusChangedData;
  'destination.status_changed': DestinationStatusChangedData;
  'chat.message': ChatMessageData;
}

/** One of the announced event type names. */
export type TraxEventType = keyof TraxEventMap;

/** The envelope every delivery's body carries (Standard Webhooks payload shape). */
export interface TraxEvent<
  T extends string = TraxEventType,
  D = T extends TraxEventType ? TraxEventMap[T] : Record<string, unknown>,
> {
  /** The event type, e.g. `stream.live`. */
  type: T;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  /** The event's payload. */
  data: D;
  /** Top-level fields TRaX adds later pass through. */
  [field: string]: unknown;
}

/** Any event the receiver accepts: one of the catalog, or a type it does not know yet. */
export type AnyTraxEvent =
  | { [T in TraxEventType]: TraxEvent<T> }[TraxEventType]
  | TraxEvent<string, Record<string, unknown>>;

/** The announced event types, in catalog order. */
export const traxEventTypes: readonly TraxEventType[] = [
  'stream.live',
  'stream.offline',
  'source.status_changed',
  'destination.status_changed',
  'chat.message',
];

/** True when `type` is one of the announced event types. */
export function isTraxEventType(type: string): type is TraxEventType {
  return (traxEventTypes as readonly string[]).includes(type);
}

/**
 * Narrows an event from `onAny` to one type. (`event.type === 'stream.live'` alone cannot
 * narrow it, since an event of a type not in the catalog may carry any type string.)
 *
 * @example
 * ```ts
 * webhooks.onAny((event) => {
 *   if (isEventOfType(event, 'stream.live')) event.data.liveStartedAt; // typed
 * });
 * ```
 */
export function isEventOfType<T extends TraxEventType>(
  event: AnyTraxEvent,
  type: T,
): event is TraxEvent<T> {
  return event.type === type;
}
