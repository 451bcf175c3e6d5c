import type { PollObserver, StudioStateStore } from '@trax-webhooks/core';
import type { Dispatcher } from 'undici';
import type { FetchLike } from './status-transport.js';

/**
 * The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days). Anything longer
 * overflows: Node fires it after 1 ms with a TimeoutOverflowWarning, which turns a long wait
 * into a busy loop. Every timer of the poller stays at or below it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The longest wait a `Retry-After` or `X-RateLimit-Reset` from the API is honoured for when
 * `maxBackoffMs` is shorter (1 h): past it, an absurd header costs one request an hour instead
 * of stalling the studio for days.
 */
export const MAX_SERVER_WAIT_MS = 3_600_000;

/** The TRaX dev preview API. */
export const DEFAULT_BASE_URL = 'https://api-dev.traxstreaming.live';

/** Options of `pollStreamStatus`. */
export interface PollStreamStatusOptions {
  /** A TRaX API key (`sk_live_…`), sent as `Authorization: Bearer …` and nowhere else. */
  apiKey: string;
  /** The studios to poll at start (`st_…`). More can be added with `poller.addStudio()`. */
  studios: Iterable<string>;
  /** How often each studio is polled, in milliseconds (at most 2_147_483_647). @default 15_000 */
  intervalMs?: number;
  /** The API's base URL. @default 'https://api-dev.traxstreaming.live' */
  baseUrl?: string;
  /**
   * How long one request may take, body included, before it is aborted and counted as an error
   * (at most 2_147_483_647 ms). @default 10_000
   */
  timeoutMs?: number;
  /** How many requests may be in flight at once. @default 8 */
  concurrency?: number;
  /**
   * The most requests started in any one-second window, across all studios of this poller
   * (a sliding window: never exceeded, not even at a window edge). Polling N studios every
   * `intervalMs` needs N / (intervalMs / 1000) of it; below that, polls queue and each studio is
   * polled less often than `intervalMs`.
   * @default 10
   */
  maxRequestsPerSecond?: number;
  /** Each interval is stretched or shrunk by up to this fraction at random, so studios drift apart. @default 0.1 */
  jitter?: number;
  /**
   * The longest wait after repeated errors, in milliseconds (at most 2_147_483_647). A wait the
   * API asks for (`Retry-After`, `X-RateLimit-Reset`) is honoured up to one hour, or up to
   * `maxBackoffMs` if that is longer.
   * @default 300_000 (5 min)
   */
  maxBackoffMs?: number;
  /** Emit `stream.live` for a studio already live at its very first poll. @default true */
  emitInitialLive?: boolean;
  /**
   * Where last delivered studio state (and leases) live. Pass a `RedisStudioStateStore` so a
   * restart does not re-emit transitions and several pollers can share the work.
   * @default new MemoryStudioStateStore()
   */
  stateStore?: StudioStateStore;
  /**
   * Take a per-studio poll lease in `stateStore` before each poll, so that N pollers sharing the
   * store poll each studio about once per interval between them. `true` leases for 90% of
   * `intervalMs`; `{ ttlMs }` sets the lease length.
   * @default false
   */
  lease?: boolean | { ttlMs: number };
  /** This poller's name as a lease owner. @default a random UUID */
  instanceId?: string;
  /**
   * Send requests with this `fetch` instead of undici (a test double, a runtime without
   * undici). It costs more CPU per poll than the default (see BENCHMARKS.md, *poller*).
   * Not together with `dispatcher`.
   * @default undefined (an undici `Pool` to `baseUrl` with `concurrency` connections, or
   * `globalThis.fetch` where undici cannot be loaded)
   */
  fetch?: FetchLike;
  /**
   * Send requests through this undici dispatcher (`ProxyAgent`, an `Agent` with its own TLS
   * options, a `Pool`), which the poller does not close. Not together with `fetch`.
   * @default undefined (an undici `Pool` of the poller's own, closed by `stop()`)
   */
  dispatcher?: Dispatcher;
  /** Random numbers in [0, 1) for jitter (tests). @default Math.random */
  random?: () => number;
  /**
   * Told how each stream-status request ended: `traxTelemetry()` from `@trax-webhooks/otel`,
   * or your own. The events reach the receiver's observer through `handleEvent`.
   * @default undefined (nothing is observed)
   */
  observer?: PollObserver;
}

/** Options with defaults applied and checked. */
export interface ResolvedPollerOptions {
  readonly apiKey: string;
  readonly studios: string[];
  readonly intervalMs: number;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly maxRequestsPerSecond: number;
  readonly jitter: number;
  readonly maxBackoffMs: number;
  readonly emitInitialLive: boolean;
  readonly stateStore: StudioStateStore | undefined;
  readonly leaseMs: number | undefined;
  readonly instanceId: string | undefined;
  readonly fetch: FetchLike | undefined;
  readonly dispatcher: Dispatcher | undefined;
  readonly random: () => number;
  readonly observer: PollObserver | undefined;
}

const positiveNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;
/** A positive number of milliseconds that `setTimeout` can wait. */
const timerDelay = (value: unknown): value is number =>
  positiveNumber(value) && value <= MAX_TIMER_MS;
const positiveInteger = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0;

/** Checks a studio id; it goes into a URL path, so it must be a non-empty string. */
export function checkStudioId(id: unknown, what = 'studio id'): string {
  if (typeof id !== 'string' || id.length === 0)
    throw new TypeError(`${what} must be a non-empty string`);
  return id;
}

/**
 * Applies defaults and checks every option.
 * @throws {TypeError} naming the option that is wrong
 */
export function resolvePollerOptions(options: PollStreamStatusOptions): ResolvedPollerOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object with apiKey and studios');
  const {
    apiKey,
    studios,
    intervalMs = 15_000,
    baseUrl = DEFAULT_BASE_URL,
    timeoutMs = 10_000,
    concurrency = 8,
    maxRequestsPerSecond = 10,
    jitter = 0.1,
    maxBackoffMs = 300_000,
    emitInitialLive = true,
    stateStore,
    lease = false,
    instanceId,
    fetch,
    dispatcher,
    random = Math.random,
    observer,
  } = options;
  // Never echo the key back: the message says what is wrong, not what was given.
  if (typeof apiKey !== 'string' || apiKey.trim() === '')
    throw new TypeError('apiKey option must be a non-empty string');
  if (
    studios === null ||
    typeof (studios as Iterable<string> | undefined)?.[Symbol.iterator] !== 'function' ||
    typeof studios === 'string'
  ) {
    throw new TypeError('studios option must be an iterable (e.g. an array) of studio ids');
  }
  const ids = [
    ...new Set([...studios].map((id) => checkStudioId(id, 'each entry of the studios option'))),
  ];
  if (!timerDelay(intervalMs))
    throw new TypeError(
      `intervalMs option must be a positive number of milliseconds, at most ${MAX_TIMER_MS} (setTimeout's limit)`,
    );
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl))
    throw new TypeError('baseUrl option must be an absolute URL');
  if (!timerDelay(timeoutMs))
    throw new TypeError(
      `timeoutMs option must be a positive number of milliseconds, at most ${MAX_TIMER_MS} (setTimeout's limit)`,
    );
  if (!positiveInteger(concurrency))
    throw new TypeError('concurrency option must be a positive integer');
  if (!positiveInteger(maxRequestsPerSecond))
    throw new TypeError('maxRequestsPerSecond option must be a positive integer');
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter < 1))
    throw new TypeError('jitter option must be a number in [0, 1)');
  if (!timerDelay(maxBackoffMs))
    throw new TypeError(
      `maxBackoffMs option must be a positive number of milliseconds, at most ${MAX_TIMER_MS} (setTimeout's limit)`,
    );
  if (typeof emitInitialLive !== 'boolean')
    throw new TypeError('emitInitialLive option must be a boolean');
  if (stateStore !== undefined) {
    for (const method of ['get', 'set', 'acquireLease', 'releaseLease'] as const) {
      if (
        typeof (stateStore as unknown as Record<string, unknown> | null)?.[method] !== 'function'
      ) {
        throw new TypeError(
          `stateStore option must implement StudioStateStore (missing ${method}())`,
        );
      }
    }
  }
  let leaseMs: number | undefined;
  if (lease === true) leaseMs = Math.max(1, Math.floor(intervalMs * 0.9));
  else if (typeof lease === 'object' && lease !== null) {
    if (!positiveInteger(lease.ttlMs))
      throw new TypeError('lease.ttlMs option must be a positive integer of milliseconds');
    leaseMs = lease.ttlMs;
  } else if (lease !== false) throw new TypeError('lease option must be a boolean or { ttlMs }');
  if (leaseMs !== undefined && stateStore === undefined) {
    throw new TypeError(
      'lease option needs a shared stateStore (e.g. RedisStudioStateStore); alone it would change nothing',
    );
  }
  if (instanceId !== undefined && (typeof instanceId !== 'string' || instanceId === '')) {
    throw new TypeError('instanceId option must be a non-empty string');
  }
  if (fetch !== undefined && typeof fetch !== 'function')
    throw new TypeError('fetch option must be a function');
  if (
    dispatcher !== undefined &&
    typeof (dispatcher as Partial<Dispatcher> | null)?.request !== 'function'
  )
    throw new TypeError('dispatcher option must be an undici Dispatcher (missing request())');
  if (fetch !== undefined && dispatcher !== undefined)
    throw new TypeError('fetch and dispatcher options cannot be used together; pass one');
  if (typeof random !== 'function')
    throw new TypeError('random option must be a function returning a number in [0, 1)');
  if (observer !== undefined && typeof observer?.polled !== 'function')
    throw new TypeError('observer option must implement PollObserver (missing polled())');
  return {
    apiKey,
    studios: ids,
    intervalMs,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs,
    concurrency,
    maxRequestsPerSecond,
    jitter,
    maxBackoffMs,
    emitInitialLive,
    stateStore,
    leaseMs,
    instanceId,
    fetch,
    dispatcher,
    random,
    observer,
  };
}
