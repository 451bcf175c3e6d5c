import type { EventSource } from '@trax-webhooks/core';

/** One studio's tile. `status: 'unknown'` until the first event about it arrives. */
export interface StudioTile {
  readonly studioId: string;
  readonly status: 'live' | 'offline' | 'unknown';
  /** When the current status began: `liveStartedAt` when live, `endedAt` when offline. */
  readonly since: string | null;
  /** The live session's encoder stream, or the one that just ended. */
  readonly encoderStreamId: string | null;
  readonly mode: string | null;
  /** The path that delivered the status shown: the poller or a signed webhook. */
  readonly source: EventSource | null;
  readonly deliveryId: string | null;
}

/**
 * What became of one delivery, as the log shows it. `delivered`: the handlers ran;
 * `duplicate`: seen before, dropped without running anything; `rejected`: refused before any
 * handler (bad signature, stale timestamp, malformed body); `failed`: something broke after
 * verification (a handler, the store, a poll); `in-flight`: the same delivery was being handled
 * at that moment, and the sender was told to retry.
 */
export type LogOutcome = 'delivered' | 'duplicate' | 'rejected' | 'in-flight' | 'failed';

export interface LogEntry {
  /** Increases by one per entry, so the page can tell new entries from ones it has. */
  readonly seq: number;
  readonly at: string;
  readonly outcome: LogOutcome;
  /** The event type, when it was verified and parsed. */
  readonly type: string | null;
  readonly studioId: string | null;
  readonly deliveryId: string | null;
  readonly source: EventSource | null;
  readonly attempt: number | null;
  /** The error code of a rejection or failure. */
  readonly code: string | null;
  /** A short, secret-free description. */
  readonly detail: string | null;
}

export interface DashboardCounts {
  readonly delivered: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/** Everything the page shows: sent whole on every (re)connection. */
export interface DashboardSnapshot {
  readonly feed: string;
  readonly studios: StudioTile[];
  /** Newest first. */
  readonly log: LogEntry[];
  readonly counts: DashboardCounts;
}

/** What changed, as the page receives it over Server-Sent Events. */
export type DashboardUpdate =
  | { readonly kind: 'studio'; readonly studio: StudioTile }
  | { readonly kind: 'log'; readonly entry: LogEntry; readonly counts: DashboardCounts };

export type LogInput = Omit<LogEntry, 'seq' | 'at'> & { at?: string };

/**
 * The dashboard's state, in memory: the tiles, the last `maxLog` log entries and the counts.
 * Listeners hear each change as it happens; `snapshot()` is what a page that (re)connects
 * starts from, so a page that missed updates while disconnected is whole again.
 */
export class DashboardState {
  readonly #feed: string;
  readonly #maxLog: number;
  readonly #studios = new Map<string, StudioTile>();
  readonly #log: LogEntry[] = [];
  readonly #listeners = new Set<(update: DashboardUpdate) => void>();
  #seq = 0;
  #counts: DashboardCounts = { delivered: 0, duplicates: 0, rejected: 0 };

  constructor(feed: string, studioIds: Iterable<string>, maxLog = 200) {
    this.#feed = feed;
    this.#maxLog = maxLog;
    for (const studioId of studioIds) this.#studios.set(studioId, unknownTile(studioId));
  }

  /** Shows a studio's new status. */
  setStudio(studio: StudioTile): void {
    this.#studios.set(studio.studioId, studio);
    this.#emit({ kind: 'studio', studio });
  }

  /** Adds a log entry and counts it. */
  log(input: LogInput): LogEntry {
    const entry: LogEntry = {
      ...input,
      seq: ++this.#seq,
      at: input.at ?? new Date().toISOString(),
    };
    this.#log.unshift(entry);
    if (this.#log.length > this.#maxLog) this.#log.length = this.#maxLog;
    const { delivered, duplicates, rejected } = this.#counts;
    this.#counts = {
      delivered: delivered + (entry.outcome === 'delivered' ? 1 : 0),
      duplicates: duplicates + (entry.outcome === 'duplicate' ? 1 : 0),
      rejected: rejected + (entry.outcome === 'rejected' ? 1 : 0),
    };
    this.#emit({ kind: 'log', entry, counts: this.#counts });
    return entry;
  }

  snapshot(): DashboardSnapshot {
    return {
      feed: this.#feed,
      studios: [...this.#studios.values()],
      log: [...this.#log],
      counts: this.#counts,
    };
  }

  /** Calls `listener` for each change from now on; returns a function that stops it. */
  subscribe(listener: (update: DashboardUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(update: DashboardUpdate): void {
    for (const listener of this.#listeners) listener(update);
  }
}

function unknownTile(studioId: string): StudioTile {
  return {
    studioId,
    status: 'unknown',
    since: null,
    encoderStreamId: null,
    mode: null,
    source: null,
    deliveryId: null,
  };
}
