import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createForwarder } from '@trax-webhooks/cli';
import { afterEach, describe, expect, it } from 'vitest';
import { liveEvent } from '../../../test-support/fixtures.js';
import { SECRET } from './support.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A receiver that answers 200 and keeps the headers of what it got. */
async function headersReceiver() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on('end', () => res.writeHead(200).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, seen };
}

describe('createForwarder traceparent', () => {
  it('sends the traceparent its option gives, read at each attempt', async () => {
    const receiver = await headersReceiver();
    let calls = 0;
    const forwarder = createForwarder({
      to: receiver.url,
      secret: SECRET,
      traceparent: () => {
        calls++;
        return TRACEPARENT;
      },
    });
    const result = await forwarder.handleEvent(liveEvent(), { deliveryId: 'd1', source: 'poll' });
    expect(result.outcome).toBe('handled');
    expect(calls).toBe(1);
    expect(receiver.seen[0]?.traceparent).toBe(TRACEPARENT);
  });

  it('sends none without the option', async () => {
    const receiver = await headersReceiver();
    const forwarder = createForwarder({ to: receiver.url, secret: SECRET });
    await forwarder.handleEvent(liveEvent(), { deliveryId: 'd2', source: 'poll' });
    expect(receiver.seen[0]).not.toHaveProperty('traceparent');
  });

  it('refuses a traceparent option that is not a function', () => {
    expect(() =>
      createForwarder({ to: 'http://127.0.0.1:1/x', secret: SECRET, traceparent: 'x' as never }),
    ).toThrow(/traceparent option must be a function/);
  });
});
