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
} from '@trax-webhooks/core';
export {
  DEFAULT_PATH,
  type FastifyTraxWebhooksOptions,
  traxWebhooks,
  traxWebhooks as default,
} from './trax-webhooks-plugin.js';
