import { AsyncLocalStorage } from 'node:async_hooks';
import type { WebhookLogger } from '@trax-webhooks/core';

/** A logger that writes to the logger of the request being handled, or to a fallback. */
export interface RequestLogger extends WebhookLogger {
  /** Runs `fn(arg)` with `log` as the current request's logger, through every `await` inside it. */
  run<A, T>(log: WebhookLogger, fn: (arg: A) => T, arg: A): T;
}

/**
 * Core's receiver takes one logger when it is created, but Fastify users expect each line
 * under its request's `reqId`. An AsyncLocalStorage carries the request's logger through the
 * pipeline's awaits (and into `ack: 'immediate'` handlers that finish after the reply), so
 * two interleaved requests never log under each other's id.
 */
export function createRequestLogger(fallback: WebhookLogger): RequestLogger {
  const current = new AsyncLocalStorage<WebhookLogger>();
  const log = () => current.getStore() ?? fallback;
  return {
    debug: (fields, message) => log().debug(fields, message),
    info: (fields, message) => log().info(fields, message),
    warn: (fields, message) => log().warn(fields, message),
    error: (fields, message) => log().error(fields, message),
    // With Fastify's logger off, request.log IS the instance's no-op logger: nothing to route,
    // and never entering the storage keeps Node's promise hooks off for every request.
    run: (requestLog, fn, arg) =>
      requestLog === fallback ? fn(arg) : current.run(requestLog, fn, arg),
  };
}
