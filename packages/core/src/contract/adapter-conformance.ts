import { afterAll, describe } from 'vitest';
import type { AdapterOptions } from '../adapter/adapter-options.js';
import type { WebhookSecrets } from '../secrets.js';
import type { AdapterConformanceOptions, AdapterServer } from './adapter-conformance-options.js';
import { describeAnswers } from './conformance-answers.js';
import { describeBodyLimits } from './conformance-body-limits.js';
import type { ConformanceContext } from './conformance-fixtures.js';
import { describePathRules } from './conformance-path-rules.js';
import { describeRawBody } from './conformance-raw-body.js';

export type { AdapterConformanceOptions, AdapterServer } from './adapter-conformance-options.js';

/**
 * Registers the adapter conformance tests: every answer a sender can get (200, 200 duplicate,
 * 202, 400, 401, 405, 408, 409, 413, 500, 503), the bare-secret entry, the path rules and the
 * raw-body cases, over a real server. Every adapter passes it unchanged; what an adapter does
 * differently is an option of the suite, not an exception in a test.
 *
 * @example
 * ```ts
 * import { describeAdapterConformance } from '@trax-webhooks/core/contract';
 * describeAdapterConformance('my adapter', {
 *   start: (given) => startMyServer(given),
 *   childServer: { command: 'tsx', args: ['test/support/conformance-server.ts'] },
 *   routesByPath: true,
 *   boundsBodyTime: true,
 * });
 * ```
 */
export function describeAdapterConformance(name: string, options: AdapterConformanceOptions): void {
  describe(`${name} honours the adapter contract`, () => {
    const open: AdapterServer[] = [];
    afterAll(async () => {
      await Promise.all(open.map((server) => server.close()));
    });
    const context: ConformanceContext = {
      name,
      options,
      open,
      async start(given: WebhookSecrets | AdapterOptions) {
        const server = await options.start(given);
        open.push(server);
        return server;
      },
      handled(server) {
        const events: unknown[] = [];
        server.receiver.onAny((event) => {
          events.push(event);
        });
        return events;
      },
    };
    describeAnswers(context);
    describeRawBody(context);
    describePathRules(context);
    describeBodyLimits(context);
  });
}
