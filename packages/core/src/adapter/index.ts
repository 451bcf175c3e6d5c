/**
 * The adapter contract: what every adapter (Express, Fastify, Web) shares, so that each one is
 * only "read the headers and the bytes, call core, write its answer".
 *
 * A note for adapter authors: import from `@trax-webhooks/core` (the receiver, `answerOf`,
 * `answerOfError`, `bodyTooLargeError`) and from here (path, method, body reading, options);
 * from `@trax-webhooks/core/node` only in a Node-only adapter. Never build a status yourself:
 * every answer comes from core. Run `describeAdapterConformance` from
 * `@trax-webhooks/core/contract` against your adapter; differences that must remain (a
 * framework that routes for you, say) are options of that suite, not exceptions in its tests.
 */

export { type ReceiveNow, receiveNow } from '../receive-now.js';
export {
  answerMethod,
  bodyTimeoutError,
  METHOD_NOT_ALLOWED_ANSWER,
  rawBodyUnavailableError,
} from './adapter-answers.js';
export {
  type AdapterOptions,
  type AdapterSettings,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_PATH,
  isTraxWebhooks,
  isWebhookSecrets,
  resolveAdapterOptions,
} from './adapter-options.js';
export { answerBodyRead } from './answer-body-read.js';
export { type BodyReadResult, declaresTooLarge } from './body-read-result.js';
export { DRAIN_FACTOR, drainLimit, MIN_DRAIN_BYTES } from './drain-limit.js';
export { type ReadWebBodyOptions, readWebBody } from './read-web-body.js';
export { matchesPath, normalisePath } from './request-path.js';
