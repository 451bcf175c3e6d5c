import type { WebhookLogger } from '@trax-webhooks/express';
import type { ExampleLog } from '../express/handlers.js';

/**
 * A receiver `logger` that prints its debug and info lines (`Delivery handled`, `Duplicate
 * delivery acknowledged`) with the delivery id. Warnings and errors are left out: the handlers'
 * `onError` already prints each of them once. In an app of your own, pass a pino logger instead.
 */
export function createConsoleLogger(log: ExampleLog): WebhookLogger {
  function line(fields: object, message: string): void {
    const { deliveryId } = fields as { deliveryId?: string };
    log.info(deliveryId === undefined ? message : `${message} — delivery ${deliveryId}`);
  }
  const ignore = () => {};
  return { debug: line, info: line, warn: ignore, error: ignore };
}
