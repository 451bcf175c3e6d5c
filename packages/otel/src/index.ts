export {
  type ObserveQueueDepthOptions,
  observeQueueDepth,
  type QueueCounts,
} from './observe-queue-depth.js';
export { attributeNames, DURATION_BUCKETS_SECONDS, metricNames } from './telemetry-names.js';
export { traceHeaders, traceparent } from './trace-headers.js';
export {
  type DeliveryRecord,
  type TraxTelemetry,
  type TraxTelemetryOptions,
  traxTelemetry,
} from './trax-telemetry.js';
