import { Buffer } from 'node:buffer';
import { parseEvent } from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';
import { liveEvent } from './helpers.js';

// parseEvent reads an all-ASCII body through Node's Buffer (a faster decode) and anything
// else through a fatal TextDecoder: both must give the same event, or the same refusal.
describe('parseEvent reads a body the same whichever decoder takes it', () => {
  const event = { ...liveEvent(), note: 'Zoë 🎥 — live' };
  const ascii = JSON.stringify(liveEvent());
  const utf8 = JSON.stringify(event);

  it('as a Buffer, a plain Uint8Array, a view at an offset, or text', () => {
    for (const text of [ascii, utf8]) {
      const bytes = new TextEncoder().encode(text);
      const framed = new Uint8Array(bytes.length + 7);
      framed.set(bytes, 3);
      const expected = JSON.parse(text);
      expect(parseEvent(Buffer.from(text), 'd1')).toEqual(expected);
      expect(parseEvent(bytes, 'd1')).toEqual(expected);
      expect(parseEvent(framed.subarray(3, 3 + bytes.length), 'd1')).toEqual(expected);
      expect(parseEvent(text, 'd1')).toEqual(expected);
    }
  });

  it('refuses a byte-order mark (signed bytes are never dropped) and a lone 0x80', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ascii)]);
    expect(() => parseEvent(bom, 'd1')).toThrow(
      expect.objectContaining({
        code: 'INVALID_JSON',
        message: 'The delivery body is not valid JSON.',
      }),
    );
    const stray = Buffer.from(ascii.replace('st_1', 'st_\u0001'));
    stray[stray.indexOf(0x01)] = 0x80;
    expect(() => parseEvent(stray, 'd1')).toThrow(
      expect.objectContaining({
        code: 'INVALID_JSON',
        message: 'The delivery body is not valid UTF-8.',
      }),
    );
  });
});
