/**
 * How core reports each delivery's life to whoever watches it (metrics, traces), without
 * depending on any of them: `@trax-webhooks/otel` implements these interfaces, and anything
 * else may. Core calls a hook only when an observer was given and took the delivery — one
 * `undefined` test per hook site and nothing allocated otherwise — so an unobserved receiver
 * pays nothing, and an observer with nothing to record (no SDK) pays one call per delivery.
 */
import type { WebhookResponse } from './answers.js';
import type { DeliveryContext, EventSource } from './delivery-context.js';
import type { TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { AnsweredResult } from './handle-result.js';
import type { HeaderSource } from './headers.js';
import type { WebhookLogger } from './logger.js';
import type { EventHandler } from './router.js';

/** What became of an observed delivery: a pipeline outcome, or `rejected` before it ran. */
export type ObservedOutcome = AnsweredResult['outcome'] | 'rejected';

/**
 * Watches a receiver's deliveries. `D` is the observer's own record of one delivery (a span, a
 * start time): {@link DeliveryObserver.received} returns it and every later hook of the same
 * delivery gets it back, so core keeps nothing for the observer. `received` returning
 * `undefined` declines the delivery: no other hook is called for it.
 *
 * Order for one delivery: `received` → (`verified` → `dispatch` around the handlers, with
 * `handlerSettled` once per handler)? → `answered`, exactly once. With `ack: 'immediate'`,
 * `answered` (outcome `accepted`) comes first and the handlers' hooks follow it.
 *
 * Hooks are called synchronously on the delivery's path: keep them cheap. A hook that throws is
 * logged (at `error`) and otherwise ignored; it never changes an answer.
 *
 * @example
 * ```ts
 * const observer: DeliveryObserver<number> = {
 *   received: () => performance.now(),
 *   verified() {},
 *   dispatch: (_started, run) => run(),
 *   handlerSettled(_started, handler, ms) { console.log(handler.name, ms) },
 *   answered(started, outcome, answer) {
 *     console.log(outcome, answer?.status, performance.now() - started);
 *   },
 * };
 * createTraxWebhooks({ secret, observer });
 * ```
 */
export interface DeliveryObserver<D = unknown> {
  /**
   * A delivery arrived: a request reached `receive()` (or an adapter's `reject()`), or an
   * event was handed to `handleEvent()` (the poller). Nothing is verified yet: `headers` (absent
   * for `handleEvent`) are the sender's as sent — read trace context from them, never trust them.
   * Return `undefined` to leave this delivery unobserved.
   */
  received(source: EventSource, headers: HeaderSource | undefined): D | undefined;
  /** The delivery is trusted (its signature verified, or handed in by the poller); its id and type are known. */
  verified(delivery: D, event: AnyTraxEvent, ctx: DeliveryContext): void;
  /**
   * Runs around the handlers of one delivery: call `run` once, synchronously, and return what
   * it returns (a promise, a value, or its throw), e.g. inside a span's context so spans the
   * handlers create are its children.
   */
  dispatch<T>(delivery: D, run: () => T): T;
  /**
   * One handler settled after `durationMs` (`performance.now()` clock). `error` is what it
   * threw or rejected with, `undefined` on success. Handler errors may carry anything the
   * handler put in them: do not export their messages where a body must not appear.
   */
  handlerSettled(delivery: D, handler: EventHandler, durationMs: number, error: unknown): void;
  /**
   * The delivery's answer is decided. `answer` is the HTTP answer (`undefined` for
   * `handleEvent()`, which answers nothing); `error` is the secret-free error of a rejected or
   * failed delivery (`rejected`, `failed`, `failed-permanently`, `store-unavailable`).
   */
  answered(
    delivery: D,
    outcome: ObservedOutcome,
    answer: WebhookResponse | undefined,
    error: TraxWebhookError | undefined,
  ): void;
  /**
   * Queue mode: the trace context to carry with this delivery's job (e.g. `{ traceparent }`),
   * called just before it is enqueued. A worker's `handleEventNow` hands it back to `received`
   * as its `headers`, so the worker's span links to this one. Optional.
   */
  carry?(delivery: D): Readonly<Record<string, string>> | undefined;
}

/** How one stream-status request ended (an aborted one — the poller stopping — is not reported). */
export type PollOutcome = 'ok' | 'rate-limited' | 'unauthorized' | 'not-found' | 'failed';

/**
 * Watches a poller's requests (`pollStreamStatus(…, { observer })`). The events a poll derives
 * reach the receiver's {@link DeliveryObserver} through `handleEvent`, as `source: 'poll'`.
 *
 * @example
 * ```ts
 * pollStreamStatus(webhooks, { apiKey, studios, observer: { polled: (id, outcome, ms) => … } });
 * ```
 */
export interface PollObserver {
  /**
   * One `GET …/stream-status` ended after `durationMs`. `httpStatus` is the API's answer when
   * there was one (none for a network error or a timeout). Never the API key or the URL's query.
   */
  polled(
    studioId: string,
    outcome: PollOutcome,
    durationMs: number,
    httpStatus: number | undefined,
  ): void;
}

/**
 * Checks the `observer` option and wraps it so a throwing hook is logged, not propagated: an
 * observer must never turn an answer into a rejected promise. Internal.
 *
 * @throws {TypeError} when `observer` lacks one of the hooks
 */
export function guardDeliveryObserver(
  observer: DeliveryObserver | undefined,
  logger: WebhookLogger,
): DeliveryObserver | undefined {
  if (observer === undefined) return undefined;
  for (const hook of ['received', 'verified', 'dispatch', 'handlerSettled', 'answered'] as const) {
    if (typeof (observer as unknown as Record<string, unknown> | null)?.[hook] !== 'function') {
      throw new TypeError(`observer option must implement DeliveryObserver (missing ${hook}())`);
    }
  }
  const failed = (hook: string, err: unknown) => {
    try {
      logger.error({ err, hook }, `The observer's ${hook}() hook threw; ignored`);
    } catch {
      // Nothing left to tell.
    }
  };
  return {
    received(source, headers) {
      try {
        return observer.received(source, headers);
      } catch (err) {
        failed('received', err);
        return undefined;
      }
    },
    verified(delivery, event, ctx) {
      try {
        observer.verified(delivery, event, ctx);
      } catch (err) {
        failed('verified', err);
      }
    },
    dispatch(delivery, run) {
      let ran = false;
      const once = () => {
        ran = true;
        return run();
      };
      try {
        return observer.dispatch(delivery, once);
      } catch (err) {
        // A handler's own throw goes on to the pipeline, which fails the delivery; only an
        // observer that threw before running the handlers is bypassed.
        if (ran) throw err;
        failed('dispatch', err);
        return run();
      }
    },
    handlerSettled(delivery, handler, durationMs, error) {
      try {
        observer.handlerSettled(delivery, handler, durationMs, error);
      } catch (err) {
        failed('handlerSettled', err);
      }
    },
    answered(delivery, outcome, answer, error) {
      try {
        observer.answered(delivery, outcome, answer, error);
      } catch (err) {
        failed('answered', err);
      }
    },
    carry(delivery) {
      if (typeof observer.carry !== 'function') return undefined;
      try {
        return observer.carry(delivery);
      } catch (err) {
        failed('carry', err);
        return undefined;
      }
    },
  };
}
