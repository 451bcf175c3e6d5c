import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answerOfError,
  bodyTooLargeError,
  createTraxWebhooks,
  TraxWebhookError,
  type TraxWebhooks,
  type TraxWebhooksOptions,
  type WebhookSecrets,
} from '@trax-webhooks/core';
import { findRawBody, RAW_BODY_UNAVAILABLE_MESSAGE } from './find-raw-body.js';
import { matchesPath, normalisePath } from './match-path.js';
import { readRequestBody } from './read-request-body.js';
import { sendResponse } from './send-response.js';

/** Options of {@link traxWebhooks}: core's options plus where and how to listen. */
export interface TraxWebhooksMiddlewareOptions extends TraxWebhooksOptions {
  /**
   * The path deliveries are POSTed to, relative to where the middleware is mounted
   * (`app.use('/hooks', webhooks)` answers `/hooks/webhooks/trax`). A trailing slash is
   * accepted; the match is case-sensitive.
   * @default '/webhooks/trax'
   */
  path?: string;
  /**
   * How long the whole body may take to arrive when the middleware reads it itself, in
   * milliseconds. A sender that stalls half-way is answered 408 and disconnected instead of
   * holding the request open. TRaX, like most senders, gives up well before this.
   * @default 10_000
   */
  bodyTimeoutMs?: number;
}

/** The `(req, res, next)` signature shared by Express 4 and 5 (and Connect). */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * An Express middleware that is also the receiver: subscribe with `onStreamLive`, `on`,
 * `onAny`, `onError`…, mount with `app.use(webhooks)`.
 */
export type TraxWebhooksMiddleware = NodeMiddleware &
  TraxWebhooks & {
    /** The normalised path the middleware answers. */
    readonly path: string;
  };

/** The default delivery path. */
export const DEFAULT_PATH = '/webhooks/trax';
/** The default time a body may take to arrive: 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

const METHOD_NOT_ALLOWED = answerOfError(
  new TraxWebhookError('METHOD_NOT_ALLOWED', 'Deliveries are POSTed.'),
);

/**
 * Creates the Express middleware for TRaX webhooks. It answers `POST {path}` and hands every
 * other request to `next()` untouched. It reads the raw body itself when nothing has, and
 * also takes a Buffer left by `express.raw()` or a `req.rawBody` kept by an
 * `express.json({ verify })` hook. Works with Express 4 and 5.
 *
 * @example
 * ```ts
 * const webhooks = traxWebhooks(process.env.TRAX_WEBHOOK_SECRET!);
 * webhooks.onStreamLive(async (event, ctx) => notify(event.data.studioId, ctx.deliveryId));
 * app.use(webhooks); // before express.json(), or see the README's mounting cases
 * ```
 * @param secretOrOptions the signing secret(s), or {@link TraxWebhooksMiddlewareOptions}
 * @throws {TypeError} naming the option that is wrong
 */
export function traxWebhooks(
  secretOrOptions: WebhookSecrets | TraxWebhooksMiddlewareOptions,
): TraxWebhooksMiddleware {
  const options: TraxWebhooksMiddlewareOptions = isSecrets(secretOrOptions)
    ? { secret: secretOrOptions }
    : secretOrOptions;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('traxWebhooks() takes a secret or an options object with a secret');
  }
  const path = normalisePath(options.path ?? DEFAULT_PATH);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs < 1 || bodyTimeoutMs > 2_147_483_647) {
    throw new TypeError('bodyTimeoutMs option must be a positive integer of milliseconds');
  }
  const receiver = createTraxWebhooks(options);
  const { bodyLimit, logger } = receiver;

  async function receiveDelivery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const source = findRawBody(req);
    if (source.from === 'request') {
      sendResponse(res, await receiver.receive({ headers: req.headers, rawBody: source.rawBody }));
      return;
    }
    if (source.from === 'consumed') {
      const error = new TraxWebhookError('RAW_BODY_UNAVAILABLE', RAW_BODY_UNAVAILABLE_MESSAGE);
      sendResponse(res, await receiver.reject(error));
      return;
    }
    const read = await readRequestBody(req, bodyLimit, bodyTimeoutMs);
    switch (read.outcome) {
      case 'read':
        sendResponse(res, await receiver.receive({ headers: req.headers, rawBody: read.body }));
        return;
      case 'too-large': {
        const error = bodyTooLargeError(bodyLimit);
        // The rest of the upload is unread: close the connection rather than drain it.
        sendResponse(res, await receiver.reject(error), true);
        return;
      }
      case 'timed-out':
        sendResponse(
          res,
          await receiver.reject(
            new TraxWebhookError(
              'BODY_TIMEOUT',
              `The delivery body did not arrive within ${bodyTimeoutMs} ms; disconnecting.`,
            ),
          ),
          true,
        );
        return;
      case 'aborted':
        logger.debug({}, 'The sender went away before the delivery body was complete');
        return;
    }
  }

  const middleware: NodeMiddleware = function traxWebhooksMiddleware(req, res, next) {
    if (!matchesPath(req, path)) {
      next();
      return;
    }
    if (req.method !== 'POST') {
      sendResponse(res, METHOD_NOT_ALLOWED);
      return;
    }
    // receive() never rejects; anything that still throws is a bug for Express's error handler.
    receiveDelivery(req, res).catch(next);
  };

  // Connect mounts any function with a `handle` method as a sub-app (Express: `handle` and
  // `set`): core names its method `handleEvent` so this one stays a plain middleware.
  return Object.assign(middleware, receiver, { path });
}

function isSecrets(value: unknown): value is WebhookSecrets {
  return typeof value === 'string' || value instanceof Uint8Array || Array.isArray(value);
}
