// What handler code needs, so an app can depend on this package alone.
export {
  type AnyTraxEvent,
  contentEventKey,
  type DeliveryContext,
  type DeliveryStore,
  type EventHandler,
  isEventOfType,
  permanentFailure,
  type TraxEvent,
  type TraxEventType,
  TraxWebhookError,
  type TraxWebhookRouter,
  type TraxWebhooks,
  type WebhookLogger,
  type WebhookSecrets,
} from '@trax-webhooks/core';
export { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_PATH } from '@trax-webhooks/core/adapter';
export {
  type FastifyTraxWebhooksOptions,
  type TraxWebhooksPlugin,
  traxWebhooks,
  traxWebhooks as default,
} from './trax-webhooks-plugin.js';
