import type { StreamLiveData, StudioState, TraxEvent } from '@trax-webhooks/core';
import type { StreamStatus } from './parse-stream-status.js';
import { pollDeliveryId } from './poll-delivery-id.js';

/** An event derived from a poll, waiting to be delivered, and the state it leads to. */
export interface PendingEvent {
  readonly event: TraxEvent<'stream.live'> | TraxEvent<'stream.offline'>;
  readonly deliveryId: string;
  /** The studio's state once this event is delivered. */
  readonly after: StudioState;
  /** How many times it was handed to the router so far. */
  attempts: number;
}

/** What one observation changes. */
export interface Transition {
  /** Events to deliver, in order. */
  readonly events: PendingEvent[];
  /** A state to record at once, without an event (the very first observation). */
  readonly silentState?: StudioState;
}

/** Options of {@link diffStudioState}. */
export interface DiffOptions {
  readonly studioId: string;
  /** When the observation was made, in epoch milliseconds. */
  readonly now: number;
  /** Whether a studio found live at its very first poll emits `stream.live`. */
  readonly emitInitialLive: boolean;
}

function sessionOf(studioId: string, status: StreamStatus & { live: true }): StreamLiveData {
  const { live: _live, ...fields } = status;
  // The studio id is the poller's, whatever the body says: it is the key everything hangs on.
  return {
    ...fields,
    studioId,
    encoderStreamId: status.encoderStreamId,
    liveStartedAt: status.liveStartedAt,
    mode: status.mode,
  };
}

function sameSession(a: StreamLiveData, b: StreamLiveData): boolean {
  return a.liveStartedAt === b.liveStartedAt && a.encoderStreamId === b.encoderStreamId;
}

function liveEvent(session: StreamLiveData, now: number): PendingEvent {
  return {
    // The event happened when the session started; using that (not the poll time) keeps the
    // event the same whichever poller, or whichever restart, observes it.
    event: { type: 'stream.live', timestamp: session.liveStartedAt, data: session },
    deliveryId: pollDeliveryId(session.studioId, session, 'stream.live'),
    after: { live: true, session, updatedAt: now },
    attempts: 0,
  };
}

function offlineEvent(session: StreamLiveData, now: number, endedBy?: string): PendingEvent {
  // A session that restarted ended no later than the next one started: that bound is both
  // tighter than the poll time and the same for every poller. Otherwise, when the poll saw it.
  const next = endedBy === undefined ? Number.NaN : Date.parse(endedBy);
  const endedAt = new Date(Number.isNaN(next) || next > now ? now : next).toISOString();
  return {
    event: { type: 'stream.offline', timestamp: endedAt, data: { ...session, endedAt } },
    deliveryId: pollDeliveryId(session.studioId, session, 'stream.offline'),
    after: { live: false, updatedAt: now },
    attempts: 0,
  };
}

/**
 * Turns the last known state and a fresh stream-status into events:
 * offline → live; live → offline; live → live in another session (restarted between polls) →
 * offline for the old session, then live for the new. Nothing else emits.
 */
export function diffStudioState(
  previous: StudioState | undefined,
  status: StreamStatus,
  options: DiffOptions,
): Transition {
  const { studioId, now } = options;
  const next = status.live ? sessionOf(studioId, status) : undefined;
  if (previous === undefined) {
    if (next && options.emitInitialLive) return { events: [liveEvent(next, now)] };
    return {
      events: [],
      silentState: next
        ? { live: true, session: next, updatedAt: now }
        : { live: false, updatedAt: now },
    };
  }
  const before = previous.live ? previous.session : undefined;
  if (!before) return { events: next ? [liveEvent(next, now)] : [] };
  if (!next) return { events: [offlineEvent(before, now)] };
  if (sameSession(before, next)) return { events: [] };
  return { events: [offlineEvent(before, now, next.liveStartedAt), liveEvent(next, now)] };
}
