// The conformance suite's child server (`tsx test/support/conformance-server.ts express5`):
// the 413 reproduction needs the server in a process of its own.
import { CONFORMANCE_OPTIONS_ENV } from '@trax-webhooks/core/contract';
import { type ExpressMajor, startExpress } from './start-express.js';

const major = process.argv[2] as ExpressMajor;
const options = JSON.parse(process.env[CONFORMANCE_OPTIONS_ENV] ?? '{}');
const { url } = await startExpress(major, options);
console.log(`TRAX_CONFORMANCE_URL=${url}`);
