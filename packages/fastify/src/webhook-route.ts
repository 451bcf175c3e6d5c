import {
  bodyTooLargeError,
  TraxWebhookError,
  type TraxWebhooks,
  type WebhookLogger,
  type WebhookResponse,
} from '@trax-webhooks/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestLogger } from './request-logger.js';

/** What the plugin hands its inner, encapsulated route context. */
export interface WebhookRouteOptions {
  webhooks: TraxWebhooks;
  path: string;
  /** Set when the pipeline logs through each request's `request.log`; absent for a user's logger. */
  requestLogger: RequestLogger | undefined;
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * The webhook route in a context of its own. Registered WITHOUT fastify-plugin on purpose:
 * the parser swap and the error handler below stay inside this context, so the user's JSON
 * parser (registered before us, after us, or not at all) and their routes are untouched.
 */
export async function webhookRoute(instance: FastifyInstance, options: WebhookRouteOptions) {
  const { webhooks, path, requestLogger } = options;
  const { bodyLimit } = webhooks;

  // Inherited parsers (Fastify's JSON one, or the user's) would consume the bytes that the
  // signature covers; one catch-all buffer parser hands every content type over untouched.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, keepRawBody);
  instance.setErrorHandler(traxWebhooksErrorHandler);
  instance.post(path, { bodyLimit }, receiveDelivery);

  /** Runs `fn(arg)` with the pipeline's log lines going to `request.log` (unless a logger was given). */
  function inRequestLog<A, T>(request: FastifyRequest, fn: (arg: A) => T, arg: A): T {
    return requestLogger ? requestLogger.run(request.log as WebhookLogger, fn, arg) : fn(arg);
  }

  function receive(request: FastifyRequest): Promise<WebhookResponse> {
    // No body at all (no content-type, no length) never reaches a parser.
    const rawBody = request.body ?? EMPTY_BODY;
    if (Buffer.isBuffer(rawBody)) return webhooks.receive({ headers: request.headers, rawBody });
    // Only a hook that replaced request.body gets here; never verify re-serialised JSON.
    return webhooks.reject(
      new TraxWebhookError(
        'RAW_BODY_UNAVAILABLE',
        'The raw body was replaced before the webhook route ran; remove the hook that sets request.body on this route.',
      ),
    );
  }

  function receiveDelivery(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    return inRequestLog(request, receive, request).then((response) => write(reply, response));
  }

  async function traxWebhooksErrorHandler(
    error: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // Not ours (a user's onRequest hook, a broken upload): the parent's handler answers it.
      throw error;
    }
    // Fastify stopped reading at the limit; answer and report it the way core does.
    const tooLarge = bodyTooLargeError(bodyLimit);
    return write(reply, await inRequestLog(request, webhooks.reject, tooLarge));
  }
}

function keepRawBody(
  _request: FastifyRequest,
  body: Buffer | string,
  done: (error: Error | null, body?: Buffer | string) => void,
) {
  done(null, body);
}

/** Core's answer, as it is: status, headers, and a body that is already JSON text. */
function write(reply: FastifyReply, response: WebhookResponse): string {
  reply.code(response.status).headers(response.headers);
  return response.body;
}
