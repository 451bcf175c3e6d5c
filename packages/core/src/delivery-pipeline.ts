import type { BackgroundWork } from './background-work.js';
import { readClaimResult } from './claim-result.js';
import { createClaimTokens } from './claim-tokens.js';
import { dedupeKeyOf } from './dedupe-key.js';
import type { DeliveryContext } from './delivery-context.js';
import type { ErrorReporter } from './error-reporter.js';
import { TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { AnsweredResult } from './handle-result.js';
import { inlineOperationsOf } from './inline-store.js';
import { silentLogger } from './logger.js';
import { isPermanentFailure } from './permanent-failure.js';
import type { AckMode, ReceiverSettings } from './receiver-options.js';
import type { EventRouter } from './router.js';

/** The dedupe and dispatch half of the receiver: what happens to an event once it is trusted. */
export interface DeliveryPipeline {
  /**
   * claim → handlers → complete (or release). `key` is a dedupe key decided before (a queue
   * worker's job carries it); without it, the `dedupeKey` option decides. `delivery` is the
   * observer's record of it (`DeliveryObserver.received`), when this delivery is observed.
   * Never rejects, never throws. Answers at once (no promise) when nothing had to be waited
   * for: a store that answers inline (the memory store) and handlers that returned no promise.
   */
  process(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    mode: AckMode,
    key?: string,
    delivery?: unknown,
  ): AnsweredResult | Promise<AnsweredResult>;
}

interface Claim {
  readonly key: string;
  readonly token: string;
}

const HANDLED: AnsweredResult = Object.freeze({ outcome: 'handled' });
const DUPLICATE: AnsweredResult = Object.freeze({ outcome: 'duplicate' });
const ACCEPTED: AnsweredResult = Object.freeze({ outcome: 'accepted' });

/** Wires the store, the router, the error reporter and the background counter together. */
export function createDeliveryPipeline(
  settings: ReceiverSettings,
  router: EventRouter,
  report: ErrorReporter,
  background: BackgroundWork,
): DeliveryPipeline {
  const { store, failOpen, dedupeKey, logger, storeRetryAfterMs, observer } = settings;
  const logsDebug = logger !== silentLogger;
  const nextToken = createClaimTokens();
  // The memory store's operations without promises; undefined for every other store.
  const inline = inlineOperationsOf(store);

  function storeError(message: string, event: AnyTraxEvent, ctx: DeliveryContext, cause: unknown) {
    return new TraxWebhookError('STORE_UNAVAILABLE', message, {
      deliveryId: ctx.deliveryId,
      eventType: event.type,
      source: ctx.source,
      cause,
      retryAfterMs: storeRetryAfterMs,
    });
  }

  function debug(message: string, event: AnyTraxEvent, ctx: DeliveryContext): void {
    if (!logsDebug) return;
    logger.debug(
      { deliveryId: ctx.deliveryId, eventType: event.type, source: ctx.source },
      message,
    );
  }

  /**
   * Records the outcome without holding the answer back: the store call is issued now (so a
   * retry that follows the answer finds it), but a store that stalls or retries (Redis during
   * an outage) must not keep the sender waiting past its own timeout — it would retry a
   * delivery that already succeeded. A failure is reported, never turned into a failed delivery.
   */
  function settle(
    step: 'complete' | 'release',
    claim: Claim,
    event: AnyTraxEvent,
    ctx: DeliveryContext,
  ): void {
    const failed = (cause: unknown) => {
      const consequence =
        step === 'complete'
          ? 'a copy arriving after the lease ends may run the handlers again'
          : 'the retry will wait for the lease to end';
      return report(
        storeError(
          `Recording the delivery as ${step === 'complete' ? 'done' : 'failed'} failed; ${consequence}.`,
          event,
          ctx,
          cause,
        ),
      );
    };
    if (inline) {
      // Done before the answer, with nothing to wait for or to track.
      try {
        inline[step](claim.key, claim.token);
      } catch (cause) {
        background.track(failed(cause));
      }
      return;
    }
    let recorded: Promise<unknown>;
    try {
      // The store's own promise as it is; anything else (a plain value, a foreign thenable from
      // a store written in plain JavaScript) becomes a promise that settles once.
      recorded = Promise.resolve(store[step](claim.key, claim.token));
    } catch (cause) {
      recorded = Promise.reject(cause);
    }
    background.track(recorded.then(undefined, failed));
  }

  /** Success: the claim is completed and the sender told so. */
  function handled(event: AnyTraxEvent, ctx: DeliveryContext, claim: Claim | undefined) {
    if (claim) settle('complete', claim, event, ctx);
    debug('Delivery handled', event, ctx);
    return HANDLED;
  }

  /** A handler threw or rejected: release (or complete, when permanent) and report. */
  async function handlerFailed(
    cause: unknown,
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    claim: Claim | undefined,
  ): Promise<AnsweredResult> {
    const details = {
      deliveryId: ctx.deliveryId,
      eventType: event.type,
      source: ctx.source,
      cause,
    };
    if (isPermanentFailure(cause)) {
      if (claim) settle('complete', claim, event, ctx);
      const error = new TraxWebhookError(
        'HANDLER_FAILED_PERMANENTLY',
        `A handler for ${event.type} failed permanently; the delivery is acknowledged and will not be retried.`,
        details,
      );
      await report(error);
      return { outcome: 'failed-permanently', error };
    }
    if (claim) settle('release', claim, event, ctx);
    const error = new TraxWebhookError(
      'HANDLER_FAILED',
      `A handler for ${event.type} failed; the delivery will be retried.`,
      details,
    );
    await report(error);
    return { outcome: 'failed', error };
  }

  function runHandlers(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    claim: Claim | undefined,
    delivery: unknown,
  ): AnsweredResult | Promise<AnsweredResult> {
    if (logsDebug && !router.handles(event.type)) {
      debug(`No handler takes ${event.type} events; acknowledging it`, event, ctx);
    }
    let dispatched: unknown;
    try {
      dispatched =
        delivery === undefined
          ? router.dispatch(event, ctx)
          : observer!.dispatch(delivery, () =>
              router.dispatch(event, ctx, (handler, ms, error) =>
                observer!.handlerSettled(delivery, handler, ms, error),
              ),
            );
    } catch (cause) {
      return handlerFailed(cause, event, ctx, claim);
    }
    // Handlers that returned no promise are done: answer now, without a turn of the event loop.
    if (!isThenable(dispatched)) return handled(event, ctx, claim);
    return Promise.resolve(dispatched).then(
      () => handled(event, ctx, claim),
      (cause: unknown) => handlerFailed(cause, event, ctx, claim),
    );
  }

  function run(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    claim: Claim | undefined,
    mode: AckMode,
    delivery: unknown,
  ): AnsweredResult | Promise<AnsweredResult> {
    if (mode === 'after-handlers') return runHandlers(event, ctx, claim, delivery);
    background.track(Promise.resolve(runHandlers(event, ctx, claim, delivery)));
    return ACCEPTED;
  }

  async function claimFailed(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    cause: unknown,
    mode: AckMode,
    delivery: unknown,
  ): Promise<AnsweredResult> {
    if (!failOpen) {
      const error = storeError(
        'The delivery store is unavailable; retry later.',
        event,
        ctx,
        cause,
      );
      await report(error);
      return { outcome: 'store-unavailable', error };
    }
    await report(
      storeError(
        'The delivery store is unavailable; running handlers without dedupe (failOpen).',
        event,
        ctx,
        cause,
      ),
    );
    return run(event, ctx, undefined, mode, delivery);
  }

  /** What the store's claim answered decides: run, acknowledge, ask to come back, or refuse. */
  function claimed(
    answer: unknown,
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    claim: Claim,
    mode: AckMode,
    delivery: unknown,
  ): AnsweredResult | Promise<AnsweredResult> {
    const result = readClaimResult(answer);
    if (result === undefined) {
      // Fail closed even with failOpen: a store that answers nonsense is a bug, not an outage,
      // and running handlers on a guess could run them twice.
      const error = storeError(
        'The delivery store broke its contract: claim() resolved something other than { status: "claimed" | "duplicate" | "in-flight" }; retry later.',
        event,
        ctx,
        undefined,
      );
      return report(error).then(() => ({ outcome: 'store-unavailable', error }));
    }
    if (result.status === 'duplicate') {
      debug('Duplicate delivery acknowledged', event, ctx);
      return DUPLICATE;
    }
    if (result.status === 'in-flight') {
      debug('The same delivery is in flight; answering 409', event, ctx);
      return { outcome: 'in-flight', retryAfterMs: result.retryAfterMs };
    }
    return run(event, ctx, claim, mode, delivery);
  }

  function process(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    mode: AckMode,
    presetKey?: string,
    delivery?: unknown,
  ): AnsweredResult | Promise<AnsweredResult> {
    const key = presetKey ?? dedupeKeyOf(dedupeKey, event, ctx);
    if (typeof key !== 'string') {
      return report(key).then(() => ({ outcome: 'failed', error: key }));
    }
    const claim: Claim = { key, token: nextToken() };
    let answer: unknown;
    try {
      answer = inline ? inline.claim(key, claim.token) : store.claim(key, claim.token);
    } catch (cause) {
      return claimFailed(event, ctx, cause, mode, delivery);
    }
    if (inline) return claimed(answer, event, ctx, claim, mode, delivery);
    // A foreign thenable (a store in plain JavaScript) is adopted, and settles once.
    return Promise.resolve(answer).then(
      (value) => claimed(value, event, ctx, claim, mode, delivery),
      (cause: unknown) => claimFailed(event, ctx, cause, mode, delivery),
    );
  }

  return { process };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
