import {
  type AnyTraxEvent,
  errorResponse,
  type HandleContext,
  type HandleResult,
  type SignatureScheme,
  type TraxWebhookError,
  type WebhookResponse,
  type WebhookSecrets,
} from '@trax-webhooks/core';
import { type DeliveryAttempt, type DeliveryReport, sendDelivery } from '@trax-webhooks/testing';

/** Options of {@link createForwarder}. */
export interface ForwarderOptions {
  /** The receiver's URL. */
  to: string | URL;
  /** The secret to sign with (what the receiver verifies with). */
  secret: WebhookSecrets;
  /** Delay before each attempt, ms. @default DEFAULT_RETRY_SCHEDULE (Standard Webhooks) */
  schedule?: readonly number[];
  /** @default 0.2 */
  jitter?: number;
  /** Per attempt. @default 15_000 */
  timeoutMs?: number;
  /** @default standardWebhooksScheme */
  scheme?: SignatureScheme;
  /** An event was queued for delivery. */
  onEvent?: (event: AnyTraxEvent, deliveryId: string) => void;
  /** An attempt ended. */
  onAttempt?: (attempt: DeliveryAttempt, event: AnyTraxEvent, deliveryId: string) => void;
  /** A delivery ended: delivered, given up, or abandoned at stop (`report.aborted`). */
  onDelivery?: (report: DeliveryReport, event: AnyTraxEvent) => void;
  /** The poller reported a problem (API errors, 429, refused key). */
  onError?: (error: TraxWebhookError) => void;
}

/** A poll target that forwards each event as a signed delivery. */
export interface Forwarder {
  /** Queues the event's delivery and answers `accepted` at once: the poller never waits for retries. */
  handleEvent(event: AnyTraxEvent, ctx: HandleContext): Promise<HandleResult>;
  /** Where the poller reports errors. */
  reject(error: TraxWebhookError): Promise<WebhookResponse>;
  /** Resolves when every queued delivery has ended. */
  idle(): Promise<void>;
  /** Cancels waiting retries, lets attempts in flight finish; resolves when every delivery has ended. */
  stop(): Promise<void>;
  /** Counts so far. */
  stats(): { delivered: number; failed: number; abandoned: number };
}

/**
 * Forwards polled events to a webhook endpoint as TRaX will deliver them: signed, with the
 * poller's deterministic delivery id (so the receiver's dedupe works across restarts), retried on
 * a schedule. Deliveries of one studio go out in order (a live before its offline); studios
 * do not wait for each other.
 *
 * @example
 * ```ts
 * const forwarder = createForwarder({ to: 'http://localhost:3000/webhooks/trax', secret });
 * const poller = pollStreamStatus(forwarder, { apiKey, studios: ['st_1'] });
 * ```
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const controller = new AbortController();
  const chains = new Map<string, Promise<void>>();
  const counts = { delivered: 0, failed: 0, abandoned: 0 };

  function deliver(event: AnyTraxEvent, deliveryId: string): Promise<void> {
    return sendDelivery({
      url: options.to,
      secret: options.secret,
      event,
      id: deliveryId,
      schedule: options.schedule,
      jitter: options.jitter,
      timeoutMs: options.timeoutMs,
      scheme: options.scheme,
      signal: controller.signal,
      // A graceful stop: no new attempts, but an answer on its way back is not cut off.
      abortInFlight: false,
      onAttempt: (attempt) => options.onAttempt?.(attempt, event, deliveryId),
    }).then(
      (report) => {
        if (report.delivered) counts.delivered++;
        else if (report.aborted) counts.abandoned++;
        else counts.failed++;
        options.onDelivery?.(report, event);
      },
      () => {
        // Options were checked up front; only a bug lands here. Count it, keep the chain going.
        counts.failed++;
      },
    );
  }

  return {
    async handleEvent(event, ctx) {
      if (controller.signal.aborted) return { outcome: 'in-flight', retryAfterMs: 1_000 };
      const studioId = typeof event.data.studioId === 'string' ? event.data.studioId : '';
      options.onEvent?.(event, ctx.deliveryId);
      const previous = chains.get(studioId) ?? Promise.resolve();
      const next = previous.then(() => deliver(event, ctx.deliveryId));
      chains.set(studioId, next);
      void next.then(() => {
        if (chains.get(studioId) === next) chains.delete(studioId);
      });
      return { outcome: 'accepted' };
    },
    async reject(error) {
      options.onError?.(error);
      return errorResponse(error);
    },
    async idle() {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
    async stop() {
      controller.abort();
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
    stats: () => ({ ...counts }),
  };
}
