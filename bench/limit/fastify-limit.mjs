// The limit on Fastify 5: a scoped plugin (so the app's JSON parser is untouched) whose
// content-type parser hands the raw bytes over as a Buffer (Fastify reads them with its own
// bodyLimit and Content-Length checks), and a route that runs the limit receiver and returns
// the ready answer's text with its status and headers.
import { BODY_LIMIT, createLimitReceiver } from './limit-receiver.mjs';

/** Registers the limit's route on a Fastify instance. */
export function registerFastifyLimit(app, { secret, path, onEvent }) {
  const receive = createLimitReceiver(secret, onEvent);
  function reply(res, answer) {
    res.code(answer.status).headers(answer.headers);
    return answer.body;
  }
  app.register(async function limitRoute(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      function keepRawBytes(_req, body, done) {
        done(null, body);
      },
    );
    scope.post(path, function limitHandler(request, res) {
      const answer = receive(request.headers, request.body ?? Buffer.alloc(0));
      if (typeof answer.then === 'function') return answer.then((a) => reply(res, a));
      return reply(res, answer);
    });
  });
}
