// The conformance suite's child server (`tsx test/support/conformance-server.ts`): the 413
// reproduction needs the server in a process of its own.
import { CONFORMANCE_OPTIONS_ENV } from '@trax-webhooks/core/contract';
import { startWebServer } from './start-web-server.js';

const options = JSON.parse(process.env[CONFORMANCE_OPTIONS_ENV] ?? '{}');
const { url } = await startWebServer(options);
console.log(`TRAX_CONFORMANCE_URL=${url}`);
