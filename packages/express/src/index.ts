// Re-exported so an Express app needs one import for its handlers' types.
export {
  type AnyTraxEvent,
  contentEventKey,
  type DeliveryContext,
  type DeliveryStore,
  type ErrorHandler,
  type EventHandler,
  isEventOfType,
  isTraxWebhookError,
  MemoryDeliveryStore,
  permanentFailure,
  type TraxEvent,
  type TraxEventType,
  TraxWebhookError,
  type TraxWebhookRouter,
  type WebhookLogger,
  type WebhookSecrets,
} from '@trax-webhooks/core';
export { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_PATH } from '@trax-webhooks/core/adapter';
export {
  type NodeMiddleware,
  type TraxWebhooksMiddleware,
  type TraxWebhooksMiddlewareOptions,
  traxWebhooks,
} from './trax-webhooks.js';
