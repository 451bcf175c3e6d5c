// The limit's body reader for Node's IncomingMessage: the fewest steps that are still safe —
// a declared Content-Length over the limit is refused before a byte is read, the bytes read
// are capped, one chunk is used as it is. No timer of its own: on Express, Node's http server
// bounds a request's time (`requestTimeout`, 300 s by default), which is what a hand-written
// route relies on. Fastify sets the server's `requestTimeout` to 0 (its own default), so on
// Fastify a stalled body holds the limit's request without end. The plugin bounds it with
// core's shared body timer (`bodyTimeoutMs`); that guarantee, which the Fastify limit does not
// give, measured 1.5–4 % of a request's CPU (BENCHMARKS.md, Fastify, sessions 5 and 6). The
// limit is left as a hand-written route is, so the comparison is in its favour.
import { BODY_LIMIT } from './limit-receiver.mjs';

/** Calls `done(body)` with the whole body as a Buffer, or `done(undefined)` if it is too large. */
export function readBody(req, done) {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > BODY_LIMIT) {
    done(undefined);
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      chunks.length = 0;
      req.removeAllListeners('data');
      req.removeAllListeners('end');
      req.resume();
      done(undefined);
    } else chunks.push(chunk);
  });
  req.on('end', () => {
    done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
}
