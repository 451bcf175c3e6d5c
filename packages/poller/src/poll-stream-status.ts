import { randomUUID } from 'node:crypto';
import {
  type AnyTraxEvent,
  type EventSink,
  type HandleResult,
  MemoryStudioStateStore,
  type PollObserver,
  type StudioState,
  TraxWebhookError,
  type TraxWebhookErrorCode,
} from '@trax-webhooks/core';
import { backoffDelay, jitteredInterval } from './backoff-delay.js';
import { type FetchOutcome, fetchStreamStatus } from './fetch-stream-status.js';
import type { StreamStatus } from './parse-stream-status.js';
import {
  checkStudioId,
  MAX_SERVER_WAIT_MS,
  MAX_TIMER_MS,
  type PollStreamStatusOptions,
  resolvePollerOptions,
} from './poller-options.js';
import { RequestBudget } from './request-budget.js';
import {
  defaultTransport,
  dispatcherTransport,
  fetchTransport,
  type StatusTransport,
} from './status-transport.js';
import { diffStudioState, type PendingEvent } from './studio-transitions.js';

/**
 * What the poller feeds: core's `EventSink` (`handleEvent` and `report`) — a
 * `createTraxWebhooks()` receiver, the Express middleware, Fastify's `app.traxWebhooks`, a web
 * handler, or the CLI's forwarder.
 */
export type PollTarget = EventSink;

/** A snapshot of what the poller is doing. */
export interface PollerStats {
  /** Studios being polled. */
  readonly studios: number;
  /** Requests started since the poller started. */
  readonly requests: number;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** Polls waiting for the concurrency limit or the requests-per-second budget. */
  readonly waiting: number;
  /** Events derived but not delivered yet (a handler failed; retried at the next poll). */
  readonly pendingEvents: number;
}

/** An event derived from a poll that the target has not taken yet (see `pendingEvents()`). */
export interface PendingDelivery {
  readonly studioId: string;
  /** The deterministic delivery id every attempt carries. */
  readonly deliveryId: string;
  readonly event: AnyTraxEvent;
  /** How many times it was handed to `handleEvent` so far (0: queued behind an older one). */
  readonly attempts: number;
}

/** A running poller. */
export interface StreamStatusPoller {
  /** Starts polling a studio (its first poll lands within one interval). A no-op if already polled. */
  addStudio(studioId: string): void;
  /** Stops polling a studio and aborts its request in flight. Resolves `false` if it was not polled. */
  removeStudio(studioId: string): boolean;
  /** The studios being polled (a studio stopped by 401/403 is no longer among them). */
  studioIds(): string[];
  /** Counters, for metrics and tests. */
  stats(): PollerStats;
  /**
   * Events derived but not delivered yet, oldest first per studio. The saved studio state never
   * moves past them, so with a persistent `stateStore` a restart derives them again; with the
   * default memory store, what is listed here after `stop()` is lost with the process.
   */
  pendingEvents(): PendingDelivery[];
  /**
   * Stops polling: clears every schedule, aborts requests in flight, waits for handlers already
   * running, and resolves when nothing more will be sent. Safe to call twice.
   */
  stop(): Promise<void>;
}

interface Studio {
  readonly id: string;
  readonly url: string;
  /** Aborted when the studio is removed or the poller stops. */
  readonly controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Errors in a row, for backoff. */
  failures: number;
  /** Events not delivered yet, oldest first; the persisted state never moves past the first. */
  pending: PendingEvent[];
  active: boolean;
  /** Until when this poller holds the studio's lease (epoch ms), to hand it over on stop. */
  leaseUntil: number;
}

function isDelivered(result: HandleResult): boolean {
  return (
    result.outcome === 'handled' ||
    result.outcome === 'accepted' ||
    result.outcome === 'queued' ||
    result.outcome === 'duplicate' ||
    result.outcome === 'failed-permanently'
  );
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

const pollOutcomes = {
  status: 'ok',
  'rate-limited': 'rate-limited',
  unauthorized: 'unauthorized',
  'not-found': 'not-found',
  failed: 'failed',
} as const;

/** One request, timed and told to the observer (an aborted one is not: the poller stopped). */
async function observed(
  observer: PollObserver,
  studioId: string,
  request: () => Promise<FetchOutcome>,
): Promise<FetchOutcome> {
  const started = performance.now();
  const outcome = await request();
  if (outcome.kind === 'aborted') return outcome;
  const httpStatus =
    outcome.kind === 'status'
      ? 200
      : outcome.kind === 'rate-limited'
        ? 429
        : outcome.kind === 'not-found'
          ? 404
          : outcome.httpStatus;
  try {
    observer.polled(studioId, pollOutcomes[outcome.kind], performance.now() - started, httpStatus);
  } catch {
    // An observer must not stop the poller.
  }
  return outcome;
}

/**
 * Polls `GET {baseUrl}/v1/studios/{id}/stream-status` for each studio and turns what changes into
 * the same `stream.live` / `stream.offline` events real webhooks will deliver, run through the
 * same router and delivery store (`ctx.source === 'poll'`). Switching to webhooks later is
 * deleting this call.
 *
 * - Delivery ids are deterministic per (studio, session, type): parallel pollers sharing a
 *   delivery store run each transition's handlers once. Across restarts only with persistent
 *   stores (a persistent `stateStore` and delivery store): with the memory defaults a restart
 *   re-emits `stream.live` for studios live at that moment.
 * - An error is never "offline": the last state is kept, the studio backs off, and `onError`
 *   hears about it with `error.studioId`.
 * - A handler that fails is retried at the next poll, in order, before anything newer.
 *
 * @example
 * ```ts
 * const webhooks = createTraxWebhooks({ secret: process.env.TRAX_WEBHOOK_SECRET! });
 * webhooks.onStreamLive((event) => notify(event.data.studioId));
 * const poller = pollStreamStatus(webhooks, { apiKey: process.env.TRAX_API_KEY!, studios: ['st_1'] });
 * process.on('SIGTERM', () => poller.stop());
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function pollStreamStatus(
  webhooks: PollTarget,
  options: PollStreamStatusOptions,
): StreamStatusPoller {
  if (
    typeof (webhooks as Partial<PollTarget> | null)?.handleEvent !== 'function' ||
    typeof (webhooks as Partial<PollTarget> | null)?.report !== 'function'
  ) {
    throw new TypeError(
      'webhooks must be a receiver with handleEvent() and report(): createTraxWebhooks(), the Express middleware, app.traxWebhooks or a web handler',
    );
  }
  const config = resolvePollerOptions(options);
  const { intervalMs, jitter, maxBackoffMs, random, leaseMs } = config;
  const transport: StatusTransport = config.fetch
    ? fetchTransport(config.fetch)
    : config.dispatcher
      ? dispatcherTransport(config.dispatcher, false)
      : defaultTransport(new URL(config.baseUrl).origin, config.concurrency);
  const store = config.stateStore ?? new MemoryStudioStateStore();
  const owner = config.instanceId ?? randomUUID();
  const now = () => Date.now();
  // A monotonic clock: a wall-clock step forward must not let a burst through.
  const budget = new RequestBudget(config.maxRequestsPerSecond, () => performance.now());

  const studios = new Map<string, Studio>();
  const ticks = new Set<Promise<void>>();
  /** Polls waiting for a request slot, in arrival order (a Set keeps insertion order). */
  const waiters = new Set<() => void>();
  let pumpTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = 0;
  let requests = 0;
  let running = true;
  let stopping: Promise<void> | undefined;

  const nextInterval = () => jitteredInterval(intervalMs, jitter, random);
  // A wait the API asks for is honoured up to an hour (or maxBackoffMs if longer): a header
  // saying "come back next year" must not stall a studio, and a delay past setTimeout's limit
  // would fire at once, every time (a busy loop).
  const longestServerWait = Math.max(MAX_SERVER_WAIT_MS, maxBackoffMs);
  /** How long until `until` (epoch ms) from `at`, within [0, longestServerWait]. */
  const waitUntil = (until: number, at: number) =>
    Math.min(longestServerWait, Math.max(0, until - at));
  const backoff = (studio: Studio) =>
    backoffDelay(studio.failures, intervalMs, maxBackoffMs, random);

  async function report(
    studio: Studio,
    code: TraxWebhookErrorCode,
    message: string,
    cause?: unknown,
  ) {
    try {
      await webhooks.report(
        new TraxWebhookError(code, message, { studioId: studio.id, source: 'poll', cause }),
      );
    } catch {
      // Core's report never rejects; a foreign target's failure must not stop the poller.
    }
  }

  /** Grants request slots while the concurrency limit and the budget allow. */
  function pump() {
    if (pumpTimer !== undefined) clearTimeout(pumpTimer);
    pumpTimer = undefined;
    while (running && waiters.size > 0 && inFlight < config.concurrency) {
      const wait = budget.waitMs();
      if (wait > 0) {
        pumpTimer = setTimeout(pump, Math.min(wait, MAX_TIMER_MS));
        return;
      }
      const grant = waiters.values().next().value!;
      waiters.delete(grant);
      const sent = budget.take();
      inFlight++;
      requests++;
      grant();
      sent();
    }
  }

  /**
   * Waits for a request slot, then runs `start` **synchronously inside the grant**, so the
   * request leaves at the instant the budget counted it (no event-loop hop in between for a
   * GC pause to bunch requests into the next second). Resolves `undefined` if aborted first.
   */
  function whenSlotFree<T>(signal: AbortSignal, start: () => Promise<T>): Promise<T | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        const request = start();
        resolve(request);
        const release = () => {
          inFlight--;
          pump();
        };
        request.then(release, release);
      };
      const onAbort = () => {
        waiters.delete(grant);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.add(grant);
      pump();
    });
  }

  /** Hands pending events to the router in order; stops at the first one not delivered. Resolves `true` when none is left. */
  async function deliverPending(studio: Studio): Promise<boolean> {
    while (studio.pending.length > 0 && running && studio.active) {
      const item = studio.pending[0]!;
      item.attempts++;
      let result: HandleResult;
      try {
        result = await webhooks.handleEvent(item.event, {
          deliveryId: item.deliveryId,
          source: 'poll',
          attempt: item.attempts,
        });
      } catch (cause) {
        await report(
          studio,
          'HANDLER_FAILED',
          `Handling ${item.event.type} for studio ${studio.id} threw; it is retried at the next poll.`,
          cause,
        );
        return false;
      }
      // Failed, in flight elsewhere, or the delivery store is down: core has reported why; keep
      // the event (and the persisted state before it) for the next poll.
      if (!isDelivered(result)) return false;
      studio.pending.shift();
      await saveState(studio, item.after);
    }
    return studio.pending.length === 0;
  }

  async function saveState(studio: Studio, state: StudioState) {
    try {
      await store.set(studio.id, state);
    } catch (cause) {
      await report(
        studio,
        'STORE_UNAVAILABLE',
        `Recording the state of studio ${studio.id} failed; a later poll may derive the same event again, and the delivery store drops the copy.`,
        cause,
      );
    }
  }

  /** Diffs a fresh status against what was last delivered (or is about to be) and delivers the change. */
  async function observe(
    studio: Studio,
    status: StreamStatus,
    at: number,
    deliver: boolean,
  ): Promise<boolean> {
    let believed: StudioState | undefined;
    if (studio.pending.length > 0) believed = studio.pending[studio.pending.length - 1]!.after;
    else {
      try {
        // Read every time: with a shared store, another poller may have moved the studio on.
        believed = await store.get(studio.id);
      } catch (cause) {
        await report(
          studio,
          'STORE_UNAVAILABLE',
          `Reading the state of studio ${studio.id} failed; this poll is skipped.`,
          cause,
        );
        return false;
      }
    }
    const transition = diffStudioState(believed, status, {
      studioId: studio.id,
      now: at,
      emitInitialLive: config.emitInitialLive,
    });
    if (transition.silentState) await saveState(studio, transition.silentState);
    studio.pending.push(...transition.events);
    // After a failed retry in this same poll, new events wait for the next one: one attempt
    // per poll keeps a failing handler (or a store that is down) from being hammered.
    if (deliver) await deliverPending(studio);
    return true;
  }

  /** What to do with a request's outcome; returns the delay until the next poll (or undefined: no more polls). */
  async function settle(
    studio: Studio,
    outcome: FetchOutcome,
    at: number,
    deliver: boolean,
  ): Promise<number | undefined> {
    switch (outcome.kind) {
      case 'aborted':
        return undefined;
      case 'status': {
        if (outcome.limitResetAt !== undefined)
          budget.pauseFor(waitUntil(outcome.limitResetAt, at));
        if (!(await observe(studio, outcome.status, at, deliver))) {
          studio.failures++;
          return backoff(studio);
        }
        studio.failures = 0;
        return nextInterval();
      }
      case 'rate-limited': {
        studio.failures++;
        let delay = backoff(studio);
        if (outcome.retryAt !== undefined) {
          // The limit is the API key's, so every studio waits, not only this one.
          budget.pauseFor(waitUntil(outcome.retryAt, at));
          // At least an interval: an API answering "Retry-After: 0" must not make us poll faster.
          delay = Math.max(intervalMs, waitUntil(outcome.retryAt, at));
        }
        await report(
          studio,
          'POLL_RATE_LIMITED',
          `stream-status answered 429 for studio ${studio.id}; polling it again in ${seconds(delay)} s.`,
        );
        return delay;
      }
      case 'unauthorized': {
        forget(studio);
        const why =
          outcome.httpStatus === 401
            ? 'the API key was rejected (mistyped, revoked or expired)'
            : 'the API key may not read this studio (a missing scope, or another account’s studio)';
        await report(
          studio,
          'POLL_UNAUTHORIZED',
          `stream-status answered ${outcome.httpStatus} for studio ${studio.id}: ${why}. Polling this studio stopped; add it again once access is fixed.`,
        );
        return undefined;
      }
      case 'not-found': {
        studio.failures++;
        const delay = backoff(studio);
        await report(
          studio,
          'POLL_NOT_FOUND',
          `stream-status answered 404 for studio ${studio.id}: no such studio for this API key. Retrying in ${seconds(delay)} s.`,
        );
        return delay;
      }
      case 'failed': {
        studio.failures++;
        const delay = Math.max(
          backoff(studio),
          outcome.retryAt === undefined ? 0 : waitUntil(outcome.retryAt, at),
        );
        await report(
          studio,
          'POLL_FAILED',
          `Polling studio ${studio.id} failed: ${outcome.reason}. Its last known state is kept; retrying in ${seconds(delay)} s.`,
          outcome.cause,
        );
        return delay;
      }
    }
  }

  async function pollOnce(studio: Studio): Promise<number | undefined> {
    // Events a handler failed on go first, even when the API is down: they need no request.
    const delivered = await deliverPending(studio);
    if (!running || !studio.active) return undefined;
    if (leaseMs !== undefined) {
      let held: boolean;
      try {
        held = await store.acquireLease(studio.id, owner, leaseMs);
      } catch (cause) {
        studio.failures++;
        const delay = backoff(studio);
        await report(
          studio,
          'STORE_UNAVAILABLE',
          `Taking the poll lease of studio ${studio.id} failed; retrying in ${seconds(delay)} s.`,
          cause,
        );
        return delay;
      }
      // Another poller has this studio for this interval.
      if (!held) return nextInterval();
      studio.leaseUntil = now() + leaseMs;
    }
    // Before a slot is taken: the budget counts a request when it leaves, and the timeout
    // times the request, neither the loading of the HTTP client.
    if (transport.ready) await transport.ready;
    if (!running || !studio.active) return undefined;
    const request = () =>
      fetchStreamStatus({
        transport,
        url: studio.url,
        apiKey: config.apiKey,
        timeoutMs: config.timeoutMs,
        signal: studio.controller.signal,
        now,
      });
    const { observer } = config;
    const outcome = await whenSlotFree(
      studio.controller.signal,
      observer === undefined ? request : () => observed(observer, studio.id, request),
    );
    if (outcome === undefined) return undefined;
    if (!running || !studio.active) return undefined;
    return settle(studio, outcome, now(), delivered);
  }

  function schedule(studio: Studio, delayMs: number) {
    // A jittered interval may exceed setTimeout's limit even when intervalMs does not.
    studio.timer = setTimeout(
      () => {
        studio.timer = undefined;
        const tick = pollOnce(studio).then(
          (delay) => {
            if (delay !== undefined && running && studio.active) schedule(studio, delay);
          },
          async (cause: unknown) => {
            // A bug, not an API error: say so and keep the studio polled.
            await report(
              studio,
              'POLL_FAILED',
              `Polling studio ${studio.id} failed unexpectedly; retrying.`,
              cause,
            );
            if (running && studio.active) schedule(studio, backoff(studio));
          },
        );
        ticks.add(tick);
        void tick.then(() => ticks.delete(tick));
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
  }

  function forget(studio: Studio) {
    studio.active = false;
    if (studio.timer !== undefined) clearTimeout(studio.timer);
    studio.timer = undefined;
    studio.controller.abort();
    if (studios.get(studio.id) === studio) studios.delete(studio.id);
  }

  function addStudio(id: string) {
    checkStudioId(id);
    if (!running)
      throw new Error('The poller is stopped; start a new one with pollStreamStatus().');
    if (studios.has(id)) return;
    const studio: Studio = {
      id,
      url: `${config.baseUrl}/v1/studios/${encodeURIComponent(id)}/stream-status`,
      controller: new AbortController(),
      timer: undefined,
      failures: 0,
      pending: [],
      active: true,
      leaseUntil: 0,
    };
    studios.set(id, studio);
    // Spread first polls over one interval, so N studios do not all start in the same second.
    schedule(studio, random() * intervalMs);
  }

  for (const id of config.studios) addStudio(id);

  return {
    addStudio,
    removeStudio(id) {
      const studio = studios.get(id);
      if (!studio) return false;
      forget(studio);
      return true;
    },
    studioIds: () => [...studios.keys()],
    stats() {
      let pendingEvents = 0;
      for (const studio of studios.values()) pendingEvents += studio.pending.length;
      return { studios: studios.size, requests, inFlight, waiting: waiters.size, pendingEvents };
    },
    pendingEvents() {
      const list: PendingDelivery[] = [];
      for (const studio of studios.values()) {
        for (const item of studio.pending) {
          const { event, deliveryId, attempts } = item;
          list.push({ studioId: studio.id, deliveryId, event, attempts });
        }
      }
      return list;
    },
    stop() {
      if (stopping) return stopping;
      running = false;
      if (pumpTimer !== undefined) clearTimeout(pumpTimer);
      const held: Studio[] = [];
      for (const studio of studios.values()) {
        if (studio.timer !== undefined) clearTimeout(studio.timer);
        studio.timer = undefined;
        studio.controller.abort();
        if (leaseMs !== undefined && studio.leaseUntil > now()) held.push(studio);
      }
      stopping = (async () => {
        while (ticks.size > 0) await Promise.allSettled([...ticks]);
        // Hand our leases over, so another poller need not wait for them to expire.
        await Promise.allSettled(held.map((studio) => store.releaseLease(studio.id, owner)));
        // Every request has ended: close the pool the poller opened, so no socket keeps the
        // process alive.
        await transport.close().catch(() => {});
      })();
      return stopping;
    },
  };
}
