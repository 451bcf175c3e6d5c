import type { IncomingMessage } from 'node:http';
import type { TraxWebhooks, WebhookLogger, WebhookResponse } from '@trax-webhooks/core';
import {
  answerBodyRead,
  answerMethod,
  type BodyReadResult,
  rawBodyUnavailableError,
} from '@trax-webhooks/core/adapter';
import { readNodeBodyThen, refuseNodeUpload } from '@trax-webhooks/core/node';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { RequestLogger } from './request-logger.js';

/** What the plugin hands its inner, encapsulated route context. */
export interface WebhookRouteOptions {
  webhooks: TraxWebhooks;
  /** Normalised: no trailing slash (except `/`). */
  path: string;
  bodyTimeoutMs: number;
  /** Set when the pipeline logs through each request's `request.log`; absent for a user's logger. */
  requestLogger: RequestLogger | undefined;
}

/**
 * The methods the route answers: POST, and every other method Fastify routes by default,
 * answered 405, so a sender that gets the method wrong is told so, as Express tells it,
 * instead of a 404.
 */
const METHODS: HTTPMethods[] = ['POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

const READ_EMPTY: BodyReadResult = Object.freeze({ outcome: 'read', body: new Uint8Array(0) });
const OUTCOMES = new Set(['read', 'too-large', 'timed-out', 'aborted']);

/**
 * The webhook route in a context of its own. Registered WITHOUT fastify-plugin on purpose:
 * the parser swap below stays inside this context, so the user's JSON parser (registered
 * before us, after us, or not at all) and their routes are untouched.
 */
export async function webhookRoute(instance: FastifyInstance, options: WebhookRouteOptions) {
  const { webhooks, path, bodyTimeoutMs, requestLogger } = options;
  const { bodyLimit } = webhooks;
  const bounds = { limit: bodyLimit, timeoutMs: bodyTimeoutMs };
  const refusal = { bodyLimit, bodyTimeoutMs };

  // Inherited parsers (Fastify's JSON one, or the user's) would consume the bytes that the
  // signature covers. One catch-all parser reads every content type with core's bounded Node
  // reader: Fastify's requestTimeout defaults to 0, so the body's time is bounded here.
  instance.removeAllContentTypeParsers();
  // The callback form: no promise for Fastify to wait on between the last byte and the route.
  instance.addContentTypeParser(
    '*',
    function readRawBody(
      _request: FastifyRequest,
      payload: IncomingMessage,
      done: (error: Error | null, body?: BodyReadResult) => void,
    ) {
      readNodeBodyThen(payload, bounds, (read) => done(null, read));
    },
  );

  // The same path rules as every adapter (matchesPath): with or without a trailing slash. Under
  // the server's ignoreTrailingSlash the router already answers both; declaring it twice throws.
  route(path);
  const withSlash = `${path}/`;
  if (path !== '/' && !instance.hasRoute({ method: 'POST', url: instance.prefix + withSlash })) {
    route(withSlash);
  }

  // One route per URL for every method, not a POST route and a 405 route: each route is a
  // Fastify context of its own, and with fewer of them each delivery measured cheaper
  // (BENCHMARKS.md, "Where the time goes").
  function route(url: string): void {
    instance.route({ method: METHODS, url, handler: answerAnyMethod });
  }

  function answerAnyMethod(request: FastifyRequest, reply: FastifyReply) {
    return request.method === 'POST'
      ? receiveDelivery(request, reply)
      : refuseMethod(request, reply);
  }

  /** Runs `fn(arg)` with the pipeline's log lines going to `request.log` (unless a logger was given). */
  function inRequestLog<A, T>(request: FastifyRequest, fn: (arg: A) => T, arg: A): T {
    return requestLogger ? requestLogger.run(request.log as WebhookLogger, fn, arg) : fn(arg);
  }

  function answerRequest(
    request: FastifyRequest,
  ): WebhookResponse | undefined | Promise<WebhookResponse | undefined> {
    // No body at all (no content-type, no length) never reaches a parser.
    const read = request.body === undefined ? READ_EMPTY : request.body;
    if (!isBodyReadResult(read)) {
      // Only a hook that replaced request.body gets here; never verify re-serialised JSON.
      return webhooks.reject(
        rawBodyUnavailableError(
          'A hook replaced request.body before the webhook route ran; remove it from this route.',
        ),
      );
    }
    return answerBodyRead(webhooks, request.headers, read, bodyTimeoutMs);
  }

  /**
   * Not async: core's answer, when it is ready at once (the memory store, handlers that return
   * no promise), goes back to Fastify as a value, which it writes in this same turn; a promise
   * would cost Fastify a turn and its upkeep on every delivery.
   */
  function receiveDelivery(request: FastifyRequest, reply: FastifyReply) {
    const answer = inRequestLog(request, answerRequest, request);
    if (isPromiseLike(answer)) return answer.then((ready): unknown => send(request, reply, ready));
    return send(request, reply, answer);
  }

  function send(
    request: FastifyRequest,
    reply: FastifyReply,
    answer: WebhookResponse | undefined,
  ): string | Promise<void> | undefined {
    const outcome = (request.body as BodyReadResult | undefined)?.outcome;
    if (answer === undefined || outcome === 'too-large' || outcome === 'timed-out') {
      // Answered on the raw response: the rest of a refused upload is read before the socket
      // closes, so the sender reads the answer; a sender that went away gets none.
      reply.hijack();
      return answer ? refuseNodeUpload(request.raw, reply.raw, answer, refusal) : undefined;
    }
    return write(reply, answer);
  }
}

function refuseMethod(request: FastifyRequest, reply: FastifyReply): string {
  return write(reply, answerMethod(request.method)!);
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

function isBodyReadResult(body: unknown): body is BodyReadResult {
  return (
    typeof body === 'object' && body !== null && OUTCOMES.has((body as BodyReadResult).outcome)
  );
}

/** Core's answer, as it is: status, headers, and a body that is already JSON text. */
function write(reply: FastifyReply, response: WebhookResponse): string {
  reply.code(response.status).headers(response.headers);
  return response.body;
}
