import { answerOf, answerOfError, type WebhookResponse } from './answers.js';
import { createBackgroundWork } from './background-work.js';
import type { DeliveryContext, EventSource } from './delivery-context.js';
import { createDeliveryPipeline } from './delivery-pipeline.js';
import { createErrorReporter } from './error-reporter.js';
import { bodyTooLargeError, isTraxWebhookError, TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { AnsweredResult, HandleResult } from './handle-result.js';
import type { HeaderSource } from './headers.js';
import type { WebhookLogger } from './logger.js';
import { parseEvent } from './parse-event.js';
import { createQueueDelivery } from './queue-delivery.js';
import { registerReceiveNow } from './receive-now.js';
import { resolveReceiverOptions, type TraxWebhooksOptions } from './receiver-options.js';
import { createEventRouter, type TraxWebhookRouter } from './router.js';
import { utf8ByteLength } from './utf8-byte-length.js';
import type { VerifiedDelivery, Verifier } from './verify-signature.js';

/** A request as an adapter hands it over: headers and the untouched body bytes. */
export interface WebhookRequest {
  headers: HeaderSource;
  /** The body exactly as it arrived (`Uint8Array`, which includes Node's `Buffer`), or its text. */
  rawBody: Uint8Array | string;
  /** When the request arrived. @default now */
  receivedAt?: Date;
}

/** The context of an event handed to {@link TraxWebhooks.handleEvent} directly (the poller does). */
export interface HandleContext {
  deliveryId: string;
  source: EventSource;
  attempt?: number;
  receivedAt?: Date;
  /** The sender's attempt, when `attempt` is someone else's (a queue worker's). @default attempt */
  senderAttempt?: number;
}

/** The context of an event run by {@link TraxWebhooks.handleEventNow} (a queue worker's). */
export interface HandleNowContext extends HandleContext {
  /** The dedupe key decided when the event was queued. @default the `dedupeKey` option's, or the delivery id */
  dedupeKey?: string;
  /**
   * The trace context the job carried from the receiver (`QueuedDelivery.trace`), handed to the
   * observer so the worker's delivery span links back to the receiver's.
   */
  trace?: Readonly<Record<string, string>>;
}

/**
 * What a non-HTTP producer of events (the poller) needs from whoever takes them: a receiver,
 * or anything shaped like one (the CLI's forwarder).
 */
export interface EventSink {
  /** Takes one trusted event. Never rejects. */
  handleEvent(event: AnyTraxEvent, ctx: HandleContext): Promise<HandleResult>;
  /** Takes a problem the producer found (an API error, a refused key). Never rejects. */
  report(error: TraxWebhookError): Promise<void>;
}

/** The receiver: a typed router plus the pipeline every adapter and the poller call. */
export interface TraxWebhooks extends TraxWebhookRouter, EventSink {
  /**
   * Runs a request through the pipeline: size limit → verify → parse → claim → handlers →
   * complete (or release on failure), and decides the answer.
   * @remarks The promise never rejects: every failure becomes an answer.
   */
  receive(request: WebhookRequest): Promise<WebhookResponse>;
  /**
   * Runs an already-trusted event through dedupe and the handlers, without a signature: the
   * poller's way in. Turn the result into an HTTP answer with `answerOf` when you need one.
   * @remarks The promise never rejects.
   */
  handleEvent(event: AnyTraxEvent, ctx: HandleContext): Promise<HandleResult>;
  /**
   * Runs a trusted event through claim → handlers → complete here and now, even in queue mode
   * (where `handleEvent` and `receive` enqueue): the queue worker's way in.
   * @remarks The promise never rejects.
   * @example
   * ```ts
   * const result = await webhooks.handleEventNow(event, { deliveryId, source: 'webhook', attempt: 2 });
   * ```
   */
  handleEventNow(event: AnyTraxEvent, ctx: HandleNowContext): Promise<AnsweredResult>;
  /**
   * Reports a problem found outside a delivery (the poller's API errors): logs it and hands it
   * to the `onError` handlers.
   * @remarks The promise never rejects.
   */
  report(error: TraxWebhookError): Promise<void>;
  /**
   * For adapters: reports an error the adapter found before the pipeline could run (raw body
   * unavailable, body too large or too slow, another method) and resolves to its answer.
   * @remarks The promise never rejects.
   */
  reject(error: TraxWebhookError): Promise<WebhookResponse>;
  /**
   * Resolves once the work that outlives its answer has settled — handlers started by
   * `ack: 'immediate'`, completions and releases still being recorded — for graceful shutdown.
   */
  drain(): Promise<void>;
  /** Verifies one delivery's headers and raw bytes with the configured secrets and scheme. */
  readonly verify: Verifier;
  /** The body limit in bytes, for adapters that read the stream. */
  readonly bodyLimit: number;
  /** The configured logger (silent by default). */
  readonly logger: WebhookLogger;
}

/**
 * Creates a framework-free receiver. Every adapter (Express, Fastify, Web) wraps one of these.
 *
 * @example
 * ```ts
 * const webhooks = createTraxWebhooks({ secret: process.env.TRAX_WEBHOOK_SECRET! });
 * webhooks.onStreamLive(async (event, ctx) => notify(event.data.studioId));
 * const { status, headers, body } = await webhooks.receive({ headers: req.headers, rawBody });
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function createTraxWebhooks(options: TraxWebhooksOptions): TraxWebhooks {
  const settings = resolveReceiverOptions(options);
  const { verify, bodyLimit, logger, ack, now, observer } = settings;
  const router = createEventRouter();
  const report = createErrorReporter(logger, router);
  const background = createBackgroundWork();
  const pipeline = createDeliveryPipeline(settings, router, report, background);
  const queued = settings.queue
    ? createQueueDelivery(settings, settings.queue, report, background)
    : undefined;

  function contextOf(ctx: HandleContext): DeliveryContext {
    return {
      deliveryId: ctx.deliveryId,
      source: ctx.source,
      receivedAt: ctx.receivedAt ?? new Date(now()),
      attempt: ctx.attempt,
      senderAttempt: ctx.senderAttempt ?? ctx.attempt,
    };
  }

  /** `delivery`: the observer's record, when this delivery is observed. */
  async function reject(error: TraxWebhookError, delivery?: unknown): Promise<WebhookResponse> {
    await report(error);
    const answer = answerOfError(error);
    if (delivery !== undefined) observer!.answered(delivery, 'rejected', answer, error);
    return answer;
  }

  function fail(error: unknown, delivery: unknown): Promise<WebhookResponse> {
    if (isTraxWebhookError(error)) return reject(error, delivery);
    // Only a custom scheme can get here (ours throw nothing else): its reader choked on the
    // headers. Still an answer, never a rejected promise.
    return reject(
      new TraxWebhookError(
        'MALFORMED_HEADER',
        'The signature scheme could not read the delivery headers.',
        { cause: error },
      ),
      delivery,
    );
  }

  /** An observed trusted event: through the queue (`handleEvent` in queue mode) or run here. */
  async function handleObserved(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    delivery: unknown,
    key: string | undefined,
    now = false,
  ): Promise<AnsweredResult> {
    const watching = observer!;
    watching.verified(delivery, event, ctx);
    const result =
      queued && !now
        ? await queued.process(event, ctx, watching.carry?.(delivery))
        : await pipeline.process(event, ctx, 'after-handlers', key, delivery);
    watching.answered(delivery, result.outcome, undefined, errorOf(result));
    return result;
  }

  /**
   * size limit → verify → parse → pipeline, answering at once when nothing had to be waited
   * for (node:crypto, the memory store, handlers that return no promise): `receive` wraps it in
   * a promise, adapters return it to their framework as it is (receiveNow).
   */
  function respond(request: WebhookRequest): WebhookResponse | Promise<WebhookResponse> {
    const { headers, rawBody } = request;
    const receivedAt = request.receivedAt ?? new Date(now());
    // An observer may decline a delivery (no SDK to record it): then no other hook is called.
    const delivery = observer?.received('webhook', headers);
    const size = typeof rawBody === 'string' ? utf8ByteLength(rawBody) : rawBody.byteLength;
    if (size > bodyLimit) return reject(bodyTooLargeError(bodyLimit), delivery);
    let verified: VerifiedDelivery | Promise<VerifiedDelivery>;
    try {
      verified = verify(headers, rawBody);
    } catch (error) {
      return fail(error, delivery);
    }
    // Node verifies synchronously; Web Crypto (Workers, Deno) resolves later.
    if (isThenable(verified)) return answerVerified(verified, rawBody, receivedAt, delivery);
    return answerTrusted(verified, rawBody, receivedAt, delivery);
  }

  /**
   * {@link answerTrusted} once an asynchronous verification settles. A function of its own so
   * that `respond` holds no closures: V8 would otherwise allocate their shared context at every
   * delivery, on the synchronous path too.
   */
  function answerVerified(
    verifying: Promise<VerifiedDelivery>,
    rawBody: Uint8Array | string,
    receivedAt: Date,
    delivery: unknown,
  ): Promise<WebhookResponse> {
    return verifying.then(
      (trusted) => answerTrusted(trusted, rawBody, receivedAt, delivery),
      (error: unknown) => fail(error, delivery),
    );
  }

  /** A delivery whose signature holds: parse it (only now may anything read the body), then run it. */
  function answerTrusted(
    verified: VerifiedDelivery,
    rawBody: Uint8Array | string,
    receivedAt: Date,
    delivery: unknown,
  ): WebhookResponse | Promise<WebhookResponse> {
    let event: AnyTraxEvent;
    try {
      event = parseEvent(rawBody, verified.id);
    } catch (error) {
      return fail(error, delivery);
    }
    const attempt = verified.attempt;
    const ctx: DeliveryContext = {
      deliveryId: verified.id,
      source: 'webhook',
      receivedAt,
      attempt,
      senderAttempt: attempt,
    };
    if (delivery !== undefined) return answerObserved(event, ctx, delivery);
    if (queued) return queued.process(event, ctx).then(answerOf);
    const result = pipeline.process(event, ctx, ack);
    return isThenable(result) ? result.then(answerOf) : answerOf(result);
  }

  async function answerObserved(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    delivery: unknown,
  ): Promise<WebhookResponse> {
    observer!.verified(delivery, event, ctx);
    const result = queued
      ? await queued.process(event, ctx, observer!.carry?.(delivery))
      : await pipeline.process(event, ctx, ack, undefined, delivery);
    const answer = answerOf(result);
    observer!.answered(delivery, result.outcome, answer, errorOf(result));
    return answer;
  }

  const receiver: TraxWebhooks = {
    ...router,
    verify,
    bodyLimit,
    logger,
    // An adapter's rejection (body too large or too slow, raw body consumed) is a delivery too.
    reject: (error) => reject(error, observer?.received('webhook', undefined)),
    report,

    receive(request) {
      // The same answer as receiveNow's, always as a promise (the public contract).
      try {
        return Promise.resolve(respond(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    handleEvent(event, ctx) {
      const full = contextOf(ctx);
      const delivery = observer?.received(ctx.source, undefined);
      if (delivery !== undefined) return handleObserved(event, full, delivery, undefined);
      if (queued) return queued.process(event, full);
      return Promise.resolve(pipeline.process(event, full, 'after-handlers'));
    },

    handleEventNow(event, ctx) {
      const full = contextOf(ctx);
      // A worker's job carries the receiver's trace context: the worker's span links to it.
      const delivery = observer?.received(ctx.source, ctx.trace);
      if (delivery !== undefined) return handleObserved(event, full, delivery, ctx.dedupeKey, true);
      return Promise.resolve(pipeline.process(event, full, 'after-handlers', ctx.dedupeKey));
    },

    drain: background.drain,
  };
  registerReceiveNow(receiver.receive, respond);
  return receiver;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

function errorOf(result: AnsweredResult): TraxWebhookError | undefined {
  return 'error' in result ? result.error : undefined;
}
