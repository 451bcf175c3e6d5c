export {
  type AttemptDeliveryOptions,
  type AttemptResult,
  attemptDelivery,
} from './attempt-delivery.js';
export {
  checkDeliveryUrl,
  checkRetryOptions,
  type RetryOptions,
} from './check-delivery-options.js';
export { createTestEvent } from './create-test-event.js';
export type { RateLimitOptions } from './fixed-window-rate-limit.js';
export type { InjectedFault, InjectFaultOptions, MockFault } from './mock-fault.js';
export {
  DEFAULT_RETRY_SCHEDULE,
  type ExponentialScheduleOptions,
  exponentialSchedule,
  parseRetryAfter,
  withJitter,
} from './retry-schedule.js';
export {
  type DeliveryAttempt,
  type DeliveryReport,
  type SendDeliveryOptions,
  sendDelivery,
} from './send-delivery.js';
export {
  type MockRequest,
  type MockTraxApi,
  type MockTraxApiOptions,
  startMockTraxApi,
} from './start-mock-trax-api.js';
export { type GoLiveOptions, offlineStatus, type StreamStatus } from './stream-status.js';
