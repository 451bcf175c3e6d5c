import { type Attributes, type MeterProvider, metrics } from '@opentelemetry/api';
import { attributeNames as a, metricNames } from './telemetry-names.js';

/** What `observeQueueDepth` reads: `openDeliveryQueueAdmin()` from `@trax-webhooks/bullmq` is one. */
export interface QueueCounts {
  /** Jobs by state (`{ waiting, active, delayed, completed, failed }`); numbers only are reported. */
  counts(): Promise<object>;
}

/** Options of {@link observeQueueDepth}. */
export interface ObserveQueueDepthOptions {
  /** Where the gauge goes. @default metrics.getMeterProvider() */
  meterProvider?: MeterProvider;
  /** The `messaging.destination.name` attribute: the queue's name. @default 'trax-webhooks' */
  queueName?: string;
}

/**
 * Reports the delivery queue's jobs by state (`waiting`, `active`, `delayed`, `completed`,
 * `failed`) as the gauge `trax_webhooks.queue.depth`, read from Redis each time the metrics
 * are collected (a Prometheus scrape). Returns a function that stops reporting.
 *
 * @example
 * ```ts
 * const admin = openDeliveryQueueAdmin({ connection });
 * const stop = observeQueueDepth(admin);
 * ```
 */
export function observeQueueDepth(
  queue: QueueCounts,
  options: ObserveQueueDepthOptions = {},
): () => void {
  if (typeof queue?.counts !== 'function')
    throw new TypeError(
      'queue must have counts(), e.g. openDeliveryQueueAdmin() from @trax-webhooks/bullmq',
    );
  const { meterProvider = metrics.getMeterProvider(), queueName = 'trax-webhooks' } = options;
  const gauge = meterProvider
    .getMeter('@trax-webhooks/otel')
    .createObservableGauge(metricNames.queueDepth, {
      description: 'Delivery jobs in the queue, by state.',
      unit: '{job}',
    });
  const attributes = new Map<string, Attributes>();
  const callback = async (result: { observe(value: number, attributes: Attributes): void }) => {
    let counts: object;
    try {
      counts = await queue.counts();
    } catch {
      // Redis is unreachable: report nothing this time rather than a false zero.
      return;
    }
    for (const [state, value] of Object.entries(counts)) {
      if (typeof value !== 'number') continue;
      let set = attributes.get(state);
      if (set === undefined) {
        set = Object.freeze({ [a.destinationName]: queueName, [a.queueState]: state });
        attributes.set(state, set);
      }
      result.observe(value, set);
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
