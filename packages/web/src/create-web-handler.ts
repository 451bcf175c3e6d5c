// The Web-standard adapter: read the headers and the bytes of a fetch `Request`, call core,
// write core's answer as a `Response`. Everything it shares with the other adapters (options,
// the method check, the bounded body reader, the errors) comes from `@trax-webhooks/core/adapter`;
// every status comes from core.
import {
  answerOfError,
  TraxWebhookError,
  type TraxWebhooks,
  type WebhookSecrets,
} from '@trax-webhooks/core';
import {
  type AdapterOptions,
  answerBodyRead,
  answerMethod,
  drainLimit,
  rawBodyUnavailableError,
  readWebBody,
  resolveAdapterOptions,
} from '@trax-webhooks/core/adapter';
import { discardRest, keepOnCancel } from './discard-rest.js';
import { findWaitUntil } from './find-wait-until.js';
import { toResponse } from './to-response.js';

/**
 * Options of {@link createWebHandler}: core's options plus `bodyTimeoutMs`. There is no `path`:
 * the framework routes, and the handler answers every request it is given.
 */
export type WebHandlerOptions = Omit<AdapterOptions, 'path'>;

/**
 * A fetch handler — `(request, ...rest) => Promise<Response>` — that is also the receiver:
 * subscribe with `onStreamLive`, `on`, `onAny`, `onError`; `drain()` on shutdown.
 */
export type WebHandler = ((request: Request, ...rest: unknown[]) => Promise<Response>) &
  TraxWebhooks;

const SENDER_GONE = answerOfError(
  new TraxWebhookError('BODY_TIMEOUT', 'The delivery body did not arrive complete.'),
);

const BODY_ALREADY_READ =
  'Something read the request body before the webhook handler (request.json(), request.text() ' +
  'or a body-parsing middleware): hand the handler the untouched Request, e.g. ' +
  "`app.mount('/webhooks/trax', handler)` in Hono, and read nothing before it.";

/**
 * Creates a Web-standard handler for TRaX webhooks: `Request` in, `Response` out, on every
 * runtime that has them — Next.js route handlers (Node and edge), Hono, Bun, Deno, Cloudflare
 * Workers. It answers every request it is given (routing is the framework's job): POST
 * deliveries, 405 with `Allow: POST` for anything else. Work that outlives the answer (the
 * store recording the outcome; the handlers themselves with `ack: 'immediate'`) is handed to
 * the `waitUntil` of whichever trailing argument has one — Workers' `ExecutionContext`,
 * Vercel's `waitUntil`, a wrapper of Next's `after` — so the runtime keeps it alive.
 *
 * @example
 * ```ts
 * const handler = createWebHandler(process.env.TRAX_WEBHOOK_SECRET!);
 * handler.onStreamLive(async (event) => notify(event.data.studioId));
 * export const POST = handler;          // Next.js App Router
 * export default { fetch: handler };    // Cloudflare Workers: (request, env, ctx)
 * app.mount('/webhooks/trax', handler); // Hono
 * Bun.serve({ fetch: handler });        // Bun; Deno.serve(handler) in Deno
 * ```
 * @param secretOrOptions the signing secret(s), {@link WebHandlerOptions}, or a receiver
 * made by `createTraxWebhooks` (or another adapter) whose handlers it then shares
 * @throws {TypeError} naming the option that is wrong
 */
export function createWebHandler(
  secretOrOptions: WebhookSecrets | WebHandlerOptions | TraxWebhooks,
): WebHandler {
  const { receiver, bodyTimeoutMs } = resolveAdapterOptions(secretOrOptions, 'createWebHandler');
  const { bodyLimit } = receiver;

  async function answer(request: Request): Promise<Response> {
    const refused = answerMethod(request.method);
    if (refused) return toResponse(refused);
    if (request.bodyUsed) {
      return toResponse(await receiver.reject(rawBodyUnavailableError(BODY_ALREADY_READ)));
    }
    const contentLength = request.headers.get('content-length');
    const read = await readWebBody(keepOnCancel(request.body), {
      limit: bodyLimit,
      timeoutMs: bodyTimeoutMs,
      contentLength,
    });
    const answered = answerBodyRead(receiver, request.headers, read, bodyTimeoutMs);
    if (read.outcome === 'too-large') {
      // So the sender reads the 413 (see discard-rest.ts): the rest is read and thrown away.
      await discardRest(request.body, {
        maxBytes: drainLimit(bodyLimit),
        timeoutMs: bodyTimeoutMs,
        contentLength,
      });
    }
    // No answer: the sender went away mid-body and nobody reads one, but the runtime is owed
    // a Response; core's table words it.
    return toResponse((await answered) ?? SENDER_GONE);
  }

  const handler = async function traxWebHandler(
    request: Request,
    ...rest: unknown[]
  ): Promise<Response> {
    const response = await answer(request);
    // Whatever still runs (complete/release in the store, `ack: 'immediate'` handlers) must
    // outlive the response on a serverless runtime: hand it to the platform.
    findWaitUntil(rest)?.waitUntil(receiver.drain());
    return response;
  };
  return Object.assign(handler, receiver);
}
