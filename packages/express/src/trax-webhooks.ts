/**
 * The Express adapter. A note for adapter authors (after tRPC's adapters): this file uses only
 * public imports — `@trax-webhooks/core` for the receiver's types, `@trax-webhooks/core/adapter`
 * for the path, method, options and body rules every adapter shares, and
 * `@trax-webhooks/core/node` for reading and answering on Node streams. It never builds a
 * status: every answer comes from core. It passes `describeAdapterConformance` from
 * `@trax-webhooks/core/contract` (test/conformance.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraxWebhooks, WebhookSecrets } from '@trax-webhooks/core';
import {
  type AdapterOptions,
  answerBodyRead,
  answerMethod,
  matchesPath,
  rawBodyUnavailableError,
  receiveNow,
  resolveAdapterOptions,
} from '@trax-webhooks/core/adapter';
import { readNodeBody, refuseNodeUpload, writeNodeAnswer } from '@trax-webhooks/core/node';
import { EXPRESS_RAW_BODY_FIX, findRawBody, type RawBodySource } from './find-raw-body.js';

/**
 * Options of {@link traxWebhooks}: core's options plus where and how long to listen
 * (`path`, `bodyTimeoutMs`; see `AdapterOptions` in `@trax-webhooks/core/adapter`).
 * `path` is relative to where the middleware is mounted: `app.use('/hooks', webhooks)` answers
 * `/hooks/webhooks/trax`.
 */
export type TraxWebhooksMiddlewareOptions = AdapterOptions;

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

/**
 * Creates the Express middleware for TRaX webhooks. It answers `{path}` (POST; 405 with
 * `Allow: POST` for other methods) and hands every other request to `next()` untouched. It
 * reads the raw body itself when nothing has, and also takes a Buffer left by `express.raw()`
 * or a `req.rawBody` kept by an `express.json({ verify })` hook. Works with Express 4 and 5.
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
  const { receiver, path, bodyTimeoutMs } = resolveAdapterOptions(secretOrOptions, 'traxWebhooks');
  const { bodyLimit } = receiver;
  const bounds = { limit: bodyLimit, timeoutMs: bodyTimeoutMs };
  const refusal = { bodyLimit, bodyTimeoutMs };

  /** Answers a delivery whose bytes someone kept, or refuses one whose bytes are gone. */
  async function receiveParsed(
    req: IncomingMessage,
    res: ServerResponse,
    source: Exclude<RawBodySource, { from: 'stream' }>,
  ): Promise<void> {
    if (source.from === 'request') {
      const answer = receiveNow(receiver, { headers: req.headers, rawBody: source.rawBody });
      writeNodeAnswer(res, isPromiseLike(answer) ? await answer : answer);
      return;
    }
    writeNodeAnswer(res, await receiver.reject(rawBodyUnavailableError(EXPRESS_RAW_BODY_FIX)));
  }

  /**
   * Reads the body off the stream (the recommended mounting) and answers it. Awaits, not
   * stream callbacks: an `await` resumes in the caller's async context, so what the app made
   * active around `next()` (an OpenTelemetry span, an AsyncLocalStorage store) is still active
   * in the handlers; a stream's 'end' callback would run in the HTTP parser's context instead.
   */
  async function receiveStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readNodeBody(req, bounds);
    // Given at once when nothing had to be waited for: no second await, no second turn.
    const answered = answerBodyRead(receiver, req.headers, read, bodyTimeoutMs);
    const answer = isPromiseLike(answered) ? await answered : answered;
    if (answer === undefined) return; // the sender went away
    if (read.outcome === 'read') writeNodeAnswer(res, answer);
    else await refuseNodeUpload(req, res, answer, refusal);
  }

  const middleware: NodeMiddleware = function traxWebhooksMiddleware(req, res, next) {
    if (!matchesPath(req.url ?? '/', path)) {
      next();
      return;
    }
    const wrongMethod = answerMethod(req.method);
    if (wrongMethod) {
      writeNodeAnswer(res, wrongMethod);
      return;
    }
    // receive() never rejects; anything that still throws is a bug for Express's error handler.
    const source = findRawBody(req);
    if (source.from === 'stream') receiveStream(req, res).catch(next);
    else receiveParsed(req, res, source).catch(next);
  };

  // Connect mounts any function with a `handle` method as a sub-app (Express: `handle` and
  // `set`): core names its method `handleEvent` so this one stays a plain middleware.
  return Object.assign(middleware, receiver, { path });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}
