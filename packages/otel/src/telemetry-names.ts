/**
 * Every span, metric and attribute name this package emits, in one place (the README documents
 * each). Messaging names follow OpenTelemetry's messaging semantic conventions; the
 * `trax_webhooks.*` names are ours, for what the conventions have no name for.
 */

/** The span of one delivery is named `process {event type}` (`process` alone when rejected before parsing). */
export const PROCESS_OPERATION = 'process';

/** Attribute names. */
export const attributeNames = Object.freeze({
  messagingSystem: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  destinationName: 'messaging.destination.name',
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
  eventType: 'trax_webhooks.event.type',
  source: 'trax_webhooks.source',
  outcome: 'trax_webhooks.outcome',
  attempt: 'trax_webhooks.delivery.attempt',
  handlerName: 'trax_webhooks.handler.name',
  queueState: 'trax_webhooks.queue.state',
} as const);

/** Metric names. */
export const metricNames = Object.freeze({
  deliveries: 'trax_webhooks.deliveries',
  processDuration: 'messaging.process.duration',
  handlerDuration: 'trax_webhooks.handler.duration',
  pollRequests: 'trax_webhooks.poll.requests',
  pollDuration: 'trax_webhooks.poll.duration',
  queueDepth: 'trax_webhooks.queue.depth',
} as const);

/** The bucket boundaries, in seconds, the messaging conventions advise for durations. */
export const DURATION_BUCKETS_SECONDS = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);
