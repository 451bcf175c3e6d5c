import {
  answerOfError,
  bodyTooLargeError,
  createTraxWebhooks,
  TraxWebhookError,
  type TraxWebhooks,
  type TraxWebhooksOptions,
  type WebhookSecrets,
} from '@trax-webhooks/core';
import { findWaitUntil } from './find-wait-until.js';
import { readRequestBody } from './read-request-body.js';
import { toResponse } from './to-response.js';

/** Options of {@link createWebHandler}: core's options plus how long a body may take. */
export interface WebHandlerOptions extends TraxWebhooksOptions {
  /**
   * How long the whole body may take to arrive, in milliseconds. A sender that stalls
   * half-way is answered 408 instead of holding the request (and a serverless invocation) open.
   * @default 10_000
   */
  bodyTimeoutMs?: number;
}

/**
 * A fetch handler — `(request, ...rest) => Promise<Response>` — that is also the receiver:
 * subscribe with `onStreamLive`, `on`, `onAny`, `onError`; `drain()` on shutdown.
 */
export type WebHandler = ((request: Request, ...rest: unknown[]) => Promise<Response>) &
  TraxWebhooks;

/** The default time a body may take to arrive: 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

const METHOD_NOT_ALLOWED = answerOfError(
  new TraxWebhookError('METHOD_NOT_ALLOWED', 'Deliveries are POSTed.'),
);

const RAW_BODY_USED =
  'The request body was already read before the webhook handler got it (request.json(), ' +
  'request.text() or a body-parsing middleware): pass the untouched Request, e.g. ' +
  '`handler(c.req.raw, c.executionCtx)` in Hono, and read nothing before it.';

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
 * export const POST = handler;                       // Next.js App Router
 * export default { fetch: handler };                 // Cloudflare Workers: (request, env, ctx)
 * app.post('/webhooks/trax', (c) => handler(c.req.raw, c.executionCtx)); // Hono
 * Bun.serve({ fetch: handler }); Deno.serve(handler);
 * ```
 * @param secretOrOptions the signing secret(s), {@link WebHandlerOptions}, or a receiver
 * made by `createTraxWebhooks` (or another adapter) whose handlers it then shares
 * @throws {TypeError} naming the option that is wrong
 */
export function createWebHandler(
  secretOrOptions: WebhookSecrets | WebHandlerOptions | TraxWebhooks,
): WebHandler {
  const given = isReceiver(secretOrOptions);
  const options: WebHandlerOptions | undefined = given
    ? undefined
    : isSecrets(secretOrOptions)
      ? { secret: secretOrOptions }
      : (secretOrOptions as WebHandlerOptions);
  if (!given && (typeof options !== 'object' || options === null)) {
    throw new TypeError(
      'createWebHandler() takes a secret, an options object with a secret, or a receiver',
    );
  }
  const bodyTimeoutMs = options?.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs < 1 || bodyTimeoutMs > 2_147_483_647) {
    throw new TypeError('bodyTimeoutMs option must be a positive integer of milliseconds');
  }
  const receiver: TraxWebhooks = given
    ? (secretOrOptions as TraxWebhooks)
    : createTraxWebhooks(options!);
  const { bodyLimit } = receiver;

  async function answer(request: Request): Promise<Response> {
    if (request.method !== 'POST') return toResponse(METHOD_NOT_ALLOWED);
    if (request.bodyUsed) {
      return toResponse(
        await receiver.reject(new TraxWebhookError('RAW_BODY_UNAVAILABLE', RAW_BODY_USED)),
      );
    }
    // A declared length over the limit is answered before a byte is read.
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (declared > bodyLimit)
      return toResponse(await receiver.reject(bodyTooLargeError(bodyLimit)));
    const read = await readRequestBody(request.body, bodyLimit, bodyTimeoutMs);
    switch (read.outcome) {
      case 'too-large':
        return toResponse(await receiver.reject(bodyTooLargeError(bodyLimit)));
      case 'timed-out':
        return toResponse(
          await receiver.reject(
            new TraxWebhookError(
              'BODY_TIMEOUT',
              `The delivery body did not arrive within ${bodyTimeoutMs} ms.`,
            ),
          ),
        );
      case 'read':
        return toResponse(await receiver.receive({ headers: request.headers, rawBody: read.body }));
    }
  }

  const handler = async function traxWebHandler(
    request: Request,
    ...rest: unknown[]
  ): Promise<Response> {
    const response = await answer(request);
    // Whatever is still running (complete/release in the store, `ack: 'immediate'` handlers)
    // must outlive the response on a serverless runtime: hand it to the platform.
    findWaitUntil(rest)?.waitUntil(receiver.drain());
    return response;
  };
  return Object.assign(handler, receiver);
}

function isReceiver(value: unknown): value is TraxWebhooks {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<TraxWebhooks>).receive === 'function' &&
    typeof (value as Partial<TraxWebhooks>).reject === 'function'
  );
}

function isSecrets(value: unknown): value is WebhookSecrets {
  return typeof value === 'string' || value instanceof Uint8Array || Array.isArray(value);
}
