// The limit on Fastify 5: a scoped plugin (so the app's JSON parser is untouched) whose '*'
// content-type parser reads the raw bytes itself with the same reader as the Express mount,
// in Fastify's callback form, and a route that runs the limit receiver and returns the ready
// answer's text with its status and headers.
//
// Why not `parseAs: 'buffer'` (the first version): Fastify then always copies the body
// (`Buffer.concat` even of one chunk) and adds its own listeners; our plugin reads the raw
// stream itself (core's readNodeBody), so the limit must not do more work than that. The
// callback form, not a promise: no promise and no extra microtask per request (REVIEW.md).
import { ANSWERS, createLimitReceiver } from './limit-receiver.mjs';
import { readBody } from './read-body.mjs';

/** What the parser hands over for a body over the limit (never a Buffer). */
const TOO_LARGE = Symbol('too large');
const EMPTY = Buffer.alloc(0);

/** Registers the limit's route on a Fastify instance. */
export function registerFastifyLimit(app, { secret, path, onEvent, scheme = 'standard' }) {
  const receive = createLimitReceiver(secret, onEvent, { scheme });
  function reply(res, answer) {
    res.code(answer.status).headers(answer.headers);
    return answer.body;
  }
  app.register(async function limitRoute(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', function readRawBytes(_request, payload, done) {
      readBody(payload, (body) => done(null, body ?? TOO_LARGE));
    });
    scope.post(path, function limitHandler(request, res) {
      const body = request.body;
      if (body === TOO_LARGE) return reply(res, ANSWERS.tooLarge);
      const answer = receive(request.headers, body ?? EMPTY);
      if (typeof answer.then === 'function') return answer.then((a) => reply(res, a));
      return reply(res, answer);
    });
  });
}
