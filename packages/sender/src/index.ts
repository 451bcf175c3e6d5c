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
