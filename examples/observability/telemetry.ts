/**
 * The application's OpenTelemetry SDK, started before anything else is imported: traces to the
 * console, metrics kept for Prometheus to scrape (served on the app's own `/metrics`, see
 * app.ts). Swap `ConsoleSpanExporter` for an OTLP exporter in production.
 */
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';

const tracerProvider = new NodeTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
// Registers the global tracer, the AsyncLocalStorage context manager (so handlers run inside
// the delivery span) and the W3C `traceparent` propagator.
tracerProvider.register();

/** Answers Prometheus's scrape; mounted on GET /metrics rather than its own port. */
export const prometheus = new PrometheusExporter({ preventServerStart: true });
const meterProvider = new MeterProvider({ readers: [prometheus] });
metrics.setGlobalMeterProvider(meterProvider);

/** Flushes and stops both providers (on shutdown). */
export async function stopTelemetry(): Promise<void> {
  await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
}
