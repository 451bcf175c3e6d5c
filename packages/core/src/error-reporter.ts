import type { TraxWebhookError } from './errors.js';
import type { WebhookLogger } from './logger.js';
import type { EventRouter } from './router.js';

/**
 * Logs an error and hands it to every `onError` handler. Never rejects: a throwing error
 * handler is logged, not rethrown.
 */
export type ErrorReporter = (error: TraxWebhookError) => Promise<void>;

/** Server-side failures log at `error`; what a sender or the API got wrong logs at `warn`. */
export function createErrorReporter(logger: WebhookLogger, router: EventRouter): ErrorReporter {
  const onHandlerError = (handlerError: unknown) => {
    try {
      logger.error({ err: handlerError }, 'An onError handler threw');
    } catch {
      // Nothing left to tell: the error handlers and the logger both failed.
    }
  };
  return async function reportError(error) {
    const fields = {
      code: error.code,
      status: error.status,
      deliveryId: error.deliveryId,
      eventType: error.eventType,
      source: error.source,
      studioId: error.studioId,
    };
    const serious =
      (error.status !== undefined && error.status >= 500) ||
      error.code === 'HANDLER_FAILED_PERMANENTLY';
    try {
      if (serious) logger.error({ ...fields, err: error.cause }, error.message);
      else logger.warn(fields, error.message);
    } catch {
      // A logger that throws must not turn an answer into a rejected promise.
    }
    await router.emitError(error, onHandlerError);
  };
}
