// One receiver of an HTTP comparison in its own process, so that its CPU time is its own:
//   node server-process.mjs <express|fastify> <variant>
// Over IPC it says { port } once listening, answers 'snapshot' with
// { cpu: process.cpuUsage(), handled }, and exits on 'stop'.
import { createServer } from 'node:http';

const [framework, variant] = process.argv.slice(2);
let handled = 0;
/** The one "business" handler every variant runs: counts what it was given. */
function onEvent(event) {
  if (event.type === 'stream.live') handled++;
}

let server;
if (framework === 'express') {
  const { createExpressApp } = await import('./variants/express-variants.mjs');
  server = createServer(createExpressApp(variant, onEvent));
} else if (framework === 'fastify') {
  const { createFastifyApp } = await import('./variants/fastify-variants.mjs');
  const app = await createFastifyApp(variant, onEvent);
  server = app.server;
} else {
  throw new TypeError(`unknown framework ${framework}`);
}
// Connections stay open between phases; keep-alive long enough for the whole run.
server.keepAliveTimeout = 600_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'snapshot') process.send({ cpu: process.cpuUsage(), handled });
  if (message === 'stop') process.exit(0);
});
