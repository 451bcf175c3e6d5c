import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { Readable } from 'node:stream';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { answerBodyRead, type BodyReadResult, drainLimit } from '@trax-webhooks/core/adapter';
import { readNodeBody, refuseNodeUpload, writeNodeAnswer } from '@trax-webhooks/core/node';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET, signedRequest } from './helpers.js';

const MiB = 1024 * 1024;

/** A Node byte stream shaped like an IncomingMessage (headers included). */
function incoming(chunks: string[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(chunks.map((text) => Buffer.from(text))), {
    headers,
  }) as unknown as IncomingMessage;
}

describe('drainLimit: how much of a refused upload is still read', () => {
  it('is 16 × the body limit, and never under 16 MiB', () => {
    expect(drainLimit(MiB)).toBe(16 * MiB);
    expect(drainLimit(4 * MiB)).toBe(64 * MiB);
    expect(drainLimit(1024)).toBe(16 * MiB);
  });
});

describe('readNodeBody: a bounded read of a Node stream', () => {
  it('reads the whole body, in one piece however it was chunked', async () => {
    const read = await readNodeBody(incoming(['{"a"', ':1}']), { limit: 10, timeoutMs: 1000 });
    expect(read.outcome).toBe('read');
    if (read.outcome === 'read') expect(Buffer.from(read.body).toString()).toBe('{"a":1}');
  });

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    const stream = incoming(['x'.repeat(20)], { 'content-length': '20' });
    expect(await readNodeBody(stream, { limit: 10, timeoutMs: 1000 })).toEqual({
      outcome: 'too-large',
    });
    expect(stream.readableDidRead).toBe(false);
  });

  it('stops at the limit while streaming when no length was declared', async () => {
    const read = await readNodeBody(incoming(['123456', '123456', '123456']), {
      limit: 10,
      timeoutMs: 1000,
    });
    expect(read).toEqual({ outcome: 'too-large' });
  });

  it('times out a body that stalls half-way', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push('{"a"');
    const started = Date.now();
    const read = await readNodeBody(stalled as unknown as IncomingMessage, {
      limit: 10,
      timeoutMs: 50,
    });
    expect(read).toEqual({ outcome: 'timed-out' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reads a stream that breaks as aborted', async () => {
    const broken = new Readable({ read() {} });
    setTimeout(() => broken.destroy(new Error('socket hang up')), 10);
    expect(
      await readNodeBody(broken as unknown as IncomingMessage, { limit: 10, timeoutMs: 1000 }),
    ).toEqual({ outcome: 'aborted' });
  });
});

describe('answerBodyRead: core answers every read', () => {
  it.each([
    ['too-large', 413, 'BODY_TOO_LARGE'],
    ['timed-out', 408, 'BODY_TIMEOUT'],
  ] as const)('%s is answered %i and reported as %s', async (outcome, status, code) => {
    const receiver = createTraxWebhooks({ secret: SECRET });
    const reported: string[] = [];
    receiver.onError((error) => {
      reported.push(error.code);
    });
    const answer = await answerBodyRead(receiver, {}, { outcome } as BodyReadResult, 10_000);
    expect(answer?.status).toBe(status);
    expect(JSON.parse(answer!.body).error.code).toBe(code);
    expect(reported).toEqual([code]);
  });

  it('a read body goes through the pipeline; a sender that went away gets no answer', async () => {
    const receiver = createTraxWebhooks({ secret: SECRET });
    const { headers, rawBody } = signedRequest();
    expect(
      (await answerBodyRead(receiver, headers, { outcome: 'read', body: rawBody }, 1))?.status,
    ).toBe(200);
    expect(await answerBodyRead(receiver, headers, { outcome: 'aborted' }, 1)).toBeUndefined();
  });
});

describe('refuseNodeUpload: a refusal the sender reads', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** A server that refuses every upload over 1 KiB the way the adapters do. */
  async function refusingServer(bodyTimeoutMs: number) {
    const receiver = createTraxWebhooks({ secret: SECRET, bodyLimit: 1024 });
    server = createServer(async (req, res) => {
      const read = await readNodeBody(req, { limit: 1024, timeoutMs: bodyTimeoutMs });
      const answer = await answerBodyRead(receiver, req.headers, read, bodyTimeoutMs);
      if (!answer) return;
      if (read.outcome === 'read') writeNodeAnswer(res, answer);
      else await refuseNodeUpload(req, res, answer, { bodyLimit: 1024, bodyTimeoutMs });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /**
   * Streams `size` bytes (declared by Content-Length) in 64 KiB chunks with backpressure over a
   * bare socket, which, unlike Node's client, goes on writing after the answer; resolves once
   * the connection is closed, with what it read and how much it could write.
   */
  function upload(port: number, size: number, stallAfter = Number.POSITIVE_INFINITY) {
    return new Promise<{ response: string; sent: number; error?: string; closedAfterMs: number }>(
      (resolve) => {
        const started = Date.now();
        const seen = { response: '', sent: 0, error: undefined as string | undefined };
        const socket = connect(port, '127.0.0.1');
        socket.setEncoding('latin1');
        socket.on('data', (text: string) => {
          seen.response += text;
        });
        socket.on('error', (error: NodeJS.ErrnoException) => {
          seen.error = error.code;
        });
        socket.on('close', () => resolve({ ...seen, closedAfterMs: Date.now() - started }));
        socket.write(`POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${size}\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 0x78);
        const write = () => {
          while (seen.sent < Math.min(size, stallAfter) && !socket.destroyed) {
            seen.sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', write);
          }
        };
        write();
      },
    );
  }

  it('answers 413 at once, then drains a 10 MiB upload against a 1 KiB limit before closing', async () => {
    const port = await refusingServer(10_000);
    for (let round = 0; round < 3; round++) {
      const seen = await upload(port, 10 * MiB);
      expect(seen.response).toMatch(/^HTTP\/1\.1 413 /);
      expect(seen.response.toLowerCase()).toContain('connection: close');
      expect(seen.sent).toBe(10 * MiB);
      expect(seen.error).toBeUndefined();
    }
  });

  it('stops draining past drainLimit: a 64 MiB upload is cut off', async () => {
    const port = await refusingServer(10_000);
    const seen = await upload(port, 64 * MiB);
    expect(seen.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(seen.sent).toBeLessThan(64 * MiB);
  });

  it('stops draining after bodyTimeoutMs: a sender that stalls is closed', async () => {
    const port = await refusingServer(300);
    const seen = await upload(port, 10 * MiB, 2 * 64 * 1024);
    expect(seen.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(seen.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(seen.closedAfterMs).toBeLessThan(3000);
  });
});
