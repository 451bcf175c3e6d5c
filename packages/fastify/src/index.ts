// What handler code needs, so an app can depend on this package alone.
export {
  type AnyTraxEvent,
  type DeliveryContext,
  type DeliveryStore,
  type EventHandler,
  permanentFailure,
  type TraxEvent,
  type TraxEventType,
  TraxWebhookError,
  type TraxWebhookRouter,
  type TraxWebhooks,
} from '@trax-webhooks/core';
export {
  DEFAULT_PATH,
  type FastifyTraxWebhooksOptions,
  traxWebhooks,
  traxWebhooks as default,
} from './trax-webhooks-plugin.js';
