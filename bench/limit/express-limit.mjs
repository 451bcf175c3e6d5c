// The limit on Express 5: a plain `app.post` route that reads the raw body itself (faster than
// `express.raw()`, which also parses the content type and decodes nothing), runs the limit
// receiver, and writes the ready answer with writeHead + end (no res.json: no stringify, no
// ETag, no header merging).
import { ANSWERS, createLimitReceiver } from './limit-receiver.mjs';
import { readBody } from './read-body.mjs';

function write(res, answer) {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** Mounts the limit's route on an Express app. */
export function mountExpressLimit(app, { secret, path, onEvent, scheme = 'standard' }) {
  const receive = createLimitReceiver(secret, onEvent, { scheme });
  app.post(path, (req, res) => {
    readBody(req, (body) => {
      if (body === undefined) {
        write(res, ANSWERS.tooLarge);
        return;
      }
      const answer = receive(req.headers, body);
      if (typeof answer.then === 'function') answer.then((a) => write(res, a));
      else write(res, answer);
    });
  });
}
