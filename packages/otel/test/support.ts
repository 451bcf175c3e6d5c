// The OpenTelemetry SDK as a test sees it: in-memory span and metric exporters, the
// AsyncLocalStorage context manager and the W3C propagator (what NodeSDK registers).
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface TestSdk {
  readonly spans: InMemorySpanExporter;
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  /** Exports the metrics now and returns every data point of `name`, cumulative. */
  points(name: string): Promise<DataPoint<unknown>[]>;
  /**
   * The cumulative count of `name` over the points whose attributes include `match`: a
   * counter's sum, or a histogram's number of recordings.
   */
  count(name: string, match?: Record<string, unknown>): Promise<number>;
  shutdown(): Promise<void>;
}

export function startTestSdk(): TestSdk {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    // Exported on demand (forceFlush) only.
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });

  async function points(name: string): Promise<DataPoint<unknown>[]> {
    metricExporter.reset();
    await reader.forceFlush();
    const found: DataPoint<unknown>[] = [];
    for (const resource of metricExporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name)
            found.push(...(metric.dataPoints as DataPoint<unknown>[]));
        }
      }
    }
    return found;
  }

  return {
    spans,
    tracerProvider,
    meterProvider,
    points,
    async count(name, match = {}) {
      let total = 0;
      for (const point of await points(name)) {
        if (Object.entries(match).every(([key, value]) => point.attributes[key] === value)) {
          const { value } = point;
          total += typeof value === 'number' ? value : (value as { count: number }).count;
        }
      }
      return total;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
      propagation.disable();
    },
  };
}
