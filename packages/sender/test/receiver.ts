import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTraxWebhooks, type TraxWebhooks } from '@trax-webhooks/core';

import { SECRET } from '../../../test-support/fixtures.js';

export { SECRET };

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What core's receive() answered (or the scripted status). */
  status: number;
}

/**
 * A real receiver on loopback: core's `receive()` verifies each delivery, unless `script`
 * answers first (to make an attempt fail with a given status and headers).
 */
export async function startReceiver(
  script?: (n: number) => { status: number; headers?: Record<string, string> } | undefined,
) {
  const webhooks: TraxWebhooks = createTraxWebhooks({ secret: SECRET });
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const scripted = script?.(received.length + 1);
    const answer = scripted
      ? { status: scripted.status, headers: scripted.headers ?? {}, body: '{"ok":false}' }
      : await webhooks.receive({ headers: req.headers, rawBody: body });
    received.push({ headers: req.headers, body: body.toString('utf8'), status: answer.status });
    res.writeHead(answer.status, answer.headers).end(answer.body);
    for (const wake of waiters.splice(0)) wake();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/trax`,
    webhooks,
    received,
    /** Resolves once `n` requests have arrived (real I/O, so it works under fake timers). */
    async until(n: number) {
      while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
