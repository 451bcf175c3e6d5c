import type { StreamLiveData } from './events.js';

/**
 * What the stream-status poller last *delivered* about one studio. It advances only once the
 * event that leads to it was handled (or found to be a duplicate), so a restart re-derives
 * any event that was still undelivered.
 */
export interface StudioState {
  /** Whether the studio was live as of the last delivered event. */
  readonly live: boolean;
  /** The live session, exactly as its `stream.live` event carried it; absent when offline. */
  readonly session?: StreamLiveData;
  /** When this state was recorded, in milliseconds since the epoch. */
  readonly updatedAt: number;
}

/**
 * Where pollers keep last-known studio state and per-studio poll leases. Share one store
 * (e.g. `RedisStudioStateStore` from `@trax-webhooks/redis`) between poller processes so that a
 * restart does not re-emit transitions and N instances poll each studio once per interval.
 *
 * 1. `get`/`set` read and replace one studio's state; `get` answers `undefined` for a studio
 *    never seen.
 * 2. `acquireLease(studioId, owner, ttlMs)` is atomic: while a lease on the studio is live, only
 *    its owner gets `true` (repeating the call is safe and does not extend it). The lease is a
 *    *poll slot*: pollers do not release it after a poll, so other instances skip the studio
 *    until it expires.
 * 3. `releaseLease(studioId, owner)` ends `owner`'s lease early (a poller that stops hands the
 *    studio over); it never ends another owner's lease.
 */
export interface StudioStateStore {
  /** The studio's last delivered state, or `undefined` when none was recorded. */
  get(studioId: string): Promise<StudioState | undefined>;
  /** Records the studio's last delivered state. */
  set(studioId: string, state: StudioState): Promise<void>;
  /** Takes the studio's poll lease for `ttlMs` if nobody else holds it. Resolves `true` when `owner` holds it. */
  acquireLease(studioId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Ends `owner`'s lease on the studio. Resolves `true` when it did, `false` when `owner` did not hold it. */
  releaseLease(studioId: string, owner: string): Promise<boolean>;
}

/** Options of {@link MemoryStudioStateStore}. */
export interface MemoryStudioStateStoreOptions {
  /** The clock, in milliseconds (leases end by it). @default Date.now */
  now?: () => number;
}

/**
 * The default {@link StudioStateStore}: this process's memory. State is lost on restart and
 * leases are not shared, so it suits one poller process.
 *
 * @example
 * ```ts
 * pollStreamStatus(webhooks, { apiKey, studios, stateStore: new MemoryStudioStateStore() });
 * ```
 */
export class MemoryStudioStateStore implements StudioStateStore {
  readonly #states = new Map<string, StudioState>();
  readonly #leases = new Map<string, { owner: string; until: number }>();
  readonly #now: () => number;

  constructor(options: MemoryStudioStateStoreOptions = {}) {
    const { now = Date.now } = options;
    if (typeof now !== 'function')
      throw new TypeError('now option must be a function returning milliseconds');
    this.#now = now;
  }

  async get(studioId: string): Promise<StudioState | undefined> {
    return this.#states.get(studioId);
  }

  async set(studioId: string, state: StudioState): Promise<void> {
    this.#states.set(studioId, state);
  }

  async acquireLease(studioId: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.#leases.get(studioId);
    const now = this.#now();
    if (lease && lease.until > now) return lease.owner === owner;
    this.#leases.set(studioId, { owner, until: now + ttlMs });
    return true;
  }

  async releaseLease(studioId: string, owner: string): Promise<boolean> {
    const lease = this.#leases.get(studioId);
    if (!lease || lease.owner !== owner || lease.until <= this.#now()) return false;
    this.#leases.delete(studioId);
    return true;
  }
}
