import {
  type Attributes,
  type Counter,
  context,
  createNoopMeter,
  type Histogram,
  type Link,
  type Meter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type {
  DeliveryContext,
  DeliveryObserver,
  EventHandler,
  EventSource,
  HeaderSource,
  ObservedOutcome,
  PollObserver,
  PollOutcome,
  TraxWebhookError,
} from '@trax-webhooks/core';
import { AttributeCache } from './attribute-cache.js';
import { headerGetter } from './header-getter.js';
import {
  attributeNames as a,
  DURATION_BUCKETS_SECONDS,
  metricNames,
  PROCESS_OPERATION,
} from './telemetry-names.js';

/** Options of {@link traxTelemetry}. */
export interface TraxTelemetryOptions {
  /** Where spans go. @default the global provider (`trace.getTracerProvider()`), looked up per span */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. The global provider is read once, when `traxTelemetry()` is called:
   * register the SDK's `MeterProvider` before, or pass it here.
   * @default metrics.getMeterProvider()
   */
  meterProvider?: MeterProvider;
  /** The `messaging.system` attribute. @default 'trax' */
  messagingSystem?: string;
}

/**
 * The observer `traxTelemetry()` returns: hand it to a receiver (the `observer` option of
 * `traxWebhooks`, the Fastify plugin, `createTraxWebhooks`) and to a poller
 * (`pollStreamStatus(…, { observer })`).
 */
export interface TraxTelemetry extends DeliveryObserver<DeliveryRecord>, PollObserver {}

/** What the telemetry keeps of one delivery between its hooks. */
export interface DeliveryRecord {
  readonly span: Span;
  /** `performance.now()` when it arrived. */
  readonly started: number;
  readonly source: EventSource;
  eventType: string | undefined;
}

/** The global provider's delegate while no SDK is registered (the API's no-op provider). */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
/** What the API's no-op meter hands out for every counter. */
const NOOP_COUNTER = createNoopMeter().createCounter('noop');

const NAME = '@trax-webhooks/otel';
const VERSION = '0.1.0';

/** Outcomes whose span status is an error: the delivery was not processed, or a handler failed. */
const FAILED: ReadonlySet<ObservedOutcome> = new Set([
  'rejected',
  'failed',
  'failed-permanently',
  'store-unavailable',
]);

/**
 * OpenTelemetry traces and metrics for receivers and pollers, through core's observer hooks.
 * Does nothing until the application registers an OpenTelemetry SDK (the API's no-op).
 *
 * - one CONSUMER span per delivery, `process {event type}`, a child of the active context (the
 *   HTTP server span) and linked to the `traceparent` the sender carried; handlers run inside it;
 * - `trax_webhooks.deliveries` by outcome, `messaging.process.duration`,
 *   `trax_webhooks.handler.duration` per handler, `trax_webhooks.poll.requests` and
 *   `trax_webhooks.poll.duration` by outcome.
 *
 * Nothing it records carries a secret, a signature or a body: errors are recorded as their code
 * and core's secret-free message, never a handler's error message or stack.
 *
 * @example
 * ```ts
 * const telemetry = traxTelemetry();
 * const webhooks = traxWebhooks({ secret, observer: telemetry });
 * const poller = pollStreamStatus(webhooks, { apiKey, studios, observer: telemetry });
 * ```
 */
export function traxTelemetry(options: TraxTelemetryOptions = {}): TraxTelemetry {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const { tracerProvider, meterProvider = metrics.getMeterProvider() } = options;
  const system = options.messagingSystem ?? 'trax';
  if (typeof system !== 'string' || system === '')
    throw new TypeError('messagingSystem option must be a non-empty string');
  // The global tracer is a proxy: spans go to whichever SDK is registered later.
  const provider = tracerProvider ?? trace.getTracerProvider();
  const tracer: Tracer = provider.getTracer(NAME, VERSION);
  /** No SDK's tracer behind the global proxy (yet): checked per delivery, as one may register later. */
  const tracingOff = () =>
    provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_TRACER_PROVIDER;
  const meter: Meter = meterProvider.getMeter(NAME, VERSION);

  const deliveries: Counter = meter.createCounter(metricNames.deliveries, {
    description: 'Deliveries received, by outcome (handled, duplicate, rejected, failed, …).',
    unit: '{delivery}',
  });
  const processDuration: Histogram = meter.createHistogram(metricNames.processDuration, {
    description: 'How long a delivery took, from arrival to its answer.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
  });
  const handlerDuration: Histogram = meter.createHistogram(metricNames.handlerDuration, {
    description: 'How long each handler took, by handler and outcome.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
  });
  const pollRequests: Counter = meter.createCounter(metricNames.pollRequests, {
    description: 'stream-status requests the poller made, by outcome.',
    unit: '{request}',
  });
  const pollDuration: Histogram = meter.createHistogram(metricNames.pollDuration, {
    description: 'How long each stream-status request took.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
  });

  // Attribute sets are built once per combination and reused: the no-SDK path then allocates
  // nothing for metrics, and the SDK finds the same object each time.
  const startAttributes: Record<EventSource, Attributes> = {
    webhook: spanStart(system, 'webhook'),
    poll: spanStart(system, 'poll'),
  };
  const deliveryAttributes = new AttributeCache();
  const handlerAttributes = new AttributeCache();
  const pollAttributes = new AttributeCache();
  // The meter is read once: with the API's no-op meter, no metric will ever be collected.
  const metricsOff = deliveries === NOOP_COUNTER;

  return {
    received(source, headers) {
      // Nothing would be recorded (no SDK): decline the delivery, so core calls no other hook.
      if (metricsOff && tracingOff()) return undefined;
      const span = tracer.startSpan(
        PROCESS_OPERATION,
        { kind: SpanKind.CONSUMER, attributes: startAttributes[source], links: linksOf(headers) },
        context.active(),
      );
      return { span, started: performance.now(), source, eventType: undefined };
    },

    verified(delivery, event, ctx) {
      delivery.eventType = event.type;
      const { span } = delivery;
      if (!span.isRecording()) return;
      span.updateName(`${PROCESS_OPERATION} ${event.type}`);
      span.setAttributes(verifiedAttributes(event.type, ctx));
    },

    dispatch(delivery, run) {
      // A span that records nothing (no SDK, or sampled out) has no context worth entering.
      if (!delivery.span.isRecording()) return run();
      return context.with(trace.setSpan(context.active(), delivery.span), run);
    },

    handlerSettled(delivery, handler: EventHandler, durationMs, error) {
      const name = handler.name || 'anonymous';
      const errorType = error === undefined ? undefined : errorTypeOf(error);
      const type = delivery.eventType ?? '';
      const errorKey = errorType ?? '';
      const attributes =
        handlerAttributes.get(name, type, errorKey, delivery.source) ??
        handlerAttributes.set(
          name,
          type,
          errorKey,
          delivery.source,
          handlerMetricAttributes(name, type, delivery.source, errorType),
        );
      handlerDuration.record(durationMs / 1000, attributes);
    },

    answered(delivery, outcome, answer, error) {
      const { span, source, eventType } = delivery;
      const status = answer?.status;
      if (span.isRecording()) {
        span.setAttributes(answeredAttributes(outcome, status, error));
        if (FAILED.has(outcome) && error !== undefined) {
          // Core's message is secret-free by construction; the cause (a handler's own error,
          // which may quote the body) is deliberately left out.
          span.recordException({
            name: 'TraxWebhookError',
            code: error.code,
            message: error.message,
          });
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
      }
      span.end();
      const type = eventType ?? '';
      const detail = error === undefined ? (status === undefined ? '' : status) : error.code;
      const attributes =
        deliveryAttributes.get(outcome, source, type, String(detail)) ??
        deliveryAttributes.set(
          outcome,
          source,
          type,
          String(detail),
          deliveryMetricAttributes(system, outcome, source, eventType, status, error),
        );
      deliveries.add(1, attributes);
      processDuration.record((performance.now() - delivery.started) / 1000, attributes);
    },

    carry(delivery) {
      if (!delivery.span.isRecording()) return undefined;
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(ROOT_CONTEXT, delivery.span), carrier);
      return carrier;
    },

    polled(_studioId: string, outcome: PollOutcome, durationMs: number, httpStatus) {
      if (metricsOff) return;
      const code = httpStatus === undefined ? '' : String(httpStatus);
      const attributes =
        pollAttributes.get(outcome, code, '', '') ??
        pollAttributes.set(outcome, code, '', '', pollMetricAttributes(outcome, httpStatus));
      pollRequests.add(1, attributes);
      pollDuration.record(durationMs / 1000, attributes);
    },
  };
}

function spanStart(system: string, source: EventSource): Attributes {
  return Object.freeze({
    [a.messagingSystem]: system,
    [a.operationType]: PROCESS_OPERATION,
    [a.operationName]: PROCESS_OPERATION,
    [a.source]: source,
  });
}

/** The sender's `traceparent` (its creation context), as a link; none without one. */
function linksOf(headers: HeaderSource | undefined): Link[] | undefined {
  if (headers === undefined) return undefined;
  const creation = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, headerGetter));
  return creation === undefined ? undefined : [{ context: creation }];
}

function verifiedAttributes(type: string, ctx: DeliveryContext): Attributes {
  const set: Attributes = {
    [a.messageId]: ctx.deliveryId,
    [a.destinationName]: type,
    [a.eventType]: type,
  };
  if (ctx.attempt !== undefined) set[a.attempt] = ctx.attempt;
  return set;
}

function answeredAttributes(
  outcome: ObservedOutcome,
  status: number | undefined,
  error: TraxWebhookError | undefined,
): Attributes {
  const set: Attributes = { [a.outcome]: outcome };
  if (status !== undefined) set[a.httpStatus] = status;
  if (error !== undefined) set[a.errorType] = error.code;
  return set;
}

function deliveryMetricAttributes(
  system: string,
  outcome: ObservedOutcome,
  source: EventSource,
  eventType: string | undefined,
  status: number | undefined,
  error: TraxWebhookError | undefined,
): Attributes {
  const set: Attributes = {
    [a.messagingSystem]: system,
    [a.operationName]: PROCESS_OPERATION,
    [a.outcome]: outcome,
    [a.source]: source,
  };
  if (eventType !== undefined) set[a.eventType] = eventType;
  if (status !== undefined) set[a.httpStatus] = status;
  if (error !== undefined) set[a.errorType] = error.code;
  return set;
}

function handlerMetricAttributes(
  name: string,
  type: string,
  source: EventSource,
  errorType: string | undefined,
): Attributes {
  const set: Attributes = {
    [a.handlerName]: name,
    [a.eventType]: type,
    [a.source]: source,
    [a.outcome]: errorType === undefined ? 'ok' : 'error',
  };
  if (errorType !== undefined) set[a.errorType] = errorType;
  return set;
}

function pollMetricAttributes(outcome: PollOutcome, httpStatus: number | undefined): Attributes {
  const set: Attributes = { [a.outcome]: outcome };
  if (httpStatus !== undefined) set[a.httpStatus] = httpStatus;
  if (outcome !== 'ok') set[a.errorType] = outcome;
  return set;
}

/** A low-cardinality class of a handler's error: its name (`TypeError`), never its message. */
function errorTypeOf(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  return '_OTHER';
}
