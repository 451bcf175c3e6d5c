import { createTraxWebhooks } from '@trax-webhooks/core';
import {
  answerMethod,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_PATH,
  matchesPath,
  normalisePath,
  readWebBody,
  resolveAdapterOptions,
} from '@trax-webhooks/core/adapter';
import { describe, expect, it } from 'vitest';
import { SECRET } from './helpers.js';

const encoder = new TextEncoder();

/** A Web stream that sends `chunks`, then ends (or stalls forever when `stall`). */
function streamOf(chunks: string[], stall = false): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]!));
      else if (!stall) controller.close();
      else return new Promise(() => {});
    },
  });
}

describe('path rules every adapter shares', () => {
  it('normalises the path option and names it when it is wrong', () => {
    expect(normalisePath('/hooks/')).toBe('/hooks');
    expect(normalisePath('/')).toBe('/');
    expect(() => normalisePath('hooks')).toThrow(/path option must be a string starting with "\/"/);
    expect(() => normalisePath('/hooks?x')).toThrow(/must not contain a query/);
  });

  it('matches with or without a trailing slash, ignores the query, and is case-sensitive', () => {
    expect(matchesPath('/webhooks/trax', DEFAULT_PATH)).toBe(true);
    expect(matchesPath('/webhooks/trax/', DEFAULT_PATH)).toBe(true);
    expect(matchesPath('/webhooks/trax?attempt=2', DEFAULT_PATH)).toBe(true);
    expect(matchesPath('http://example.test/webhooks/trax', DEFAULT_PATH)).toBe(true);
    expect(matchesPath('/Webhooks/trax', DEFAULT_PATH)).toBe(false);
    expect(matchesPath('/webhooks/traxx', DEFAULT_PATH)).toBe(false);
    expect(matchesPath('/webhooks/trax//', DEFAULT_PATH)).toBe(false);
  });

  it('answers any method but POST with 405 and Allow: POST, from core', () => {
    expect(answerMethod('POST')).toBeUndefined();
    for (const method of ['GET', 'PUT', 'HEAD', 'post', undefined]) {
      const answer = answerMethod(method);
      expect(answer?.status).toBe(405);
      expect(answer?.headers.allow).toBe('POST');
      expect(JSON.parse(answer!.body).error.code).toBe('METHOD_NOT_ALLOWED');
    }
  });
});

describe('options every adapter takes', () => {
  it('takes a bare secret, a rotation list, or options', () => {
    for (const given of [SECRET, [SECRET], { secret: SECRET, path: '/in/' }]) {
      const settings = resolveAdapterOptions(given, 'adapter');
      expect(typeof settings.receiver.receive).toBe('function');
      expect(settings.bodyTimeoutMs).toBe(DEFAULT_BODY_TIMEOUT_MS);
    }
    expect(resolveAdapterOptions({ secret: SECRET, path: '/in/' }, 'adapter').path).toBe('/in');
  });

  it('takes an existing receiver as it is', () => {
    const receiver = createTraxWebhooks({ secret: SECRET });
    expect(resolveAdapterOptions(receiver, 'adapter').receiver).toBe(receiver);
  });

  it('throws TypeErrors naming the option', () => {
    expect(() => resolveAdapterOptions(undefined as never, 'createWebHandler')).toThrow(
      /createWebHandler\(\) takes a secret or an options object/,
    );
    expect(() => resolveAdapterOptions({ secret: SECRET, bodyTimeoutMs: 0 }, 'a')).toThrow(
      /bodyTimeoutMs option/,
    );
    expect(() => resolveAdapterOptions({ secret: SECRET, bodyTimeoutMs: 2 ** 31 }, 'a')).toThrow(
      /bodyTimeoutMs option/,
    );
    expect(() => resolveAdapterOptions({ secret: '' }, 'a')).toThrow(/secret option/);
  });
});

describe('readWebBody: a bounded read of a Web stream', () => {
  const limits = { limit: 10, timeoutMs: 1_000 };

  it('reads the whole body, in one piece however it was chunked', async () => {
    const read = await readWebBody(streamOf(['{"a"', ':1}']), limits);
    expect(read.outcome).toBe('read');
    if (read.outcome === 'read') expect(new TextDecoder().decode(read.body)).toBe('{"a":1}');
  });

  it('reads a missing body as empty', async () => {
    const read = await readWebBody(null, limits);
    expect(read).toEqual({ outcome: 'read', body: new Uint8Array(0) });
  });

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    let pulled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull() {
        pulled = true;
      },
    });
    expect(await readWebBody(stream, { ...limits, contentLength: '11' })).toEqual({
      outcome: 'too-large',
    });
    expect(pulled).toBe(false);
  });

  it('stops at the limit while streaming when no length was declared, and cancels the rest', async () => {
    let cancelled = false;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(encoder.encode('123456'));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await readWebBody(stream, limits)).toEqual({ outcome: 'too-large' });
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThanOrEqual(3);
  });

  it('times out a body that stalls half-way', async () => {
    const started = Date.now();
    const read = await readWebBody(streamOf(['{"a"'], true), { limit: 10, timeoutMs: 50 });
    expect(read).toEqual({ outcome: 'timed-out' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reads a stream that errors as aborted', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    expect(await readWebBody(stream, limits)).toEqual({ outcome: 'aborted' });
  });
});
