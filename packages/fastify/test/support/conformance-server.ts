// The conformance suite's child server (`tsx test/support/conformance-server.ts fastify5`):
// the 413 reproduction needs the server in a process of its own.
import { CONFORMANCE_OPTIONS_ENV } from '@trax-webhooks/core/contract';
import { type FastifyMajor, startFastify } from './start-fastify.js';

const major = process.argv[2] as FastifyMajor;
const options = JSON.parse(process.env[CONFORMANCE_OPTIONS_ENV] ?? '{}');
const { url } = await startFastify(major, options);
console.log(`TRAX_CONFORMANCE_URL=${url}`);
