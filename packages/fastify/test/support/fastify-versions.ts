import Fastify5 from 'fastify';
import Fastify4 from 'fastify4';

/** The Fastify factory, typed as Fastify 5's (the plugin's own types); Fastify 4 runs for real. */
export type FastifyFactory = typeof Fastify5;

/** Every suite runs on both majors the plugin supports. */
export const fastifyVersions: ReadonlyArray<readonly [string, FastifyFactory]> = [
  ['Fastify 5', Fastify5],
  // Only the static types differ; the runtime is Fastify 4's own.
  ['Fastify 4', Fastify4 as unknown as FastifyFactory],
];
