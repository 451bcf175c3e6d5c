import {
  createVerifier,
  defineSignatureScheme,
  githubStyleScheme,
  signDelivery,
  stripeStyleScheme,
  TraxWebhookError,
  verifySignature,
} from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';
import { liveEvent, SECRET } from './helpers.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TraxWebhookError);
    return (error as TraxWebhookError).code;
  }
  return 'no error';
};

describe('verifySignature', () => {
  const d = signDelivery({ secret: SECRET, payload: liveEvent() });

  it('returns the delivery id, timestamp and attempt of a valid delivery', () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent(), attempt: 3 });
    expect(
      verifySignature({ secret: SECRET, headers: signed.headers, rawBody: signed.body }),
    ).toEqual({
      id: signed.id,
      timestamp: signed.timestamp,
      attempt: 3,
    });
  });

  it('reads header names case-insensitively and from a fetch Headers', () => {
    const upper = Object.fromEntries(
      Object.entries(d.headers).map(([k, v]) => [k.toUpperCase(), v]),
    );
    expect(verifySignature({ secret: SECRET, headers: upper, rawBody: d.body }).id).toBe(d.id);
    expect(
      verifySignature({ secret: SECRET, headers: new Headers(d.headers), rawBody: d.body }).id,
    ).toBe(d.id);
  });

  it('returns false-y answers as errors: incorrect secret is INVALID_SIGNATURE (401)', () => {
    expect(
      codeOf(() =>
        verifySignature({
          secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA',
          headers: d.headers,
          rawBody: d.body,
        }),
      ),
    ).toBe('INVALID_SIGNATURE');
  });

  it('names each missing header as MISSING_HEADER (400)', () => {
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = { ...d.headers };
      delete headers[header];
      expect(codeOf(() => verifySignature({ secret: SECRET, headers, rawBody: d.body }))).toBe(
        'MISSING_HEADER',
      );
    }
  });

  it('rejects a non-numeric timestamp and a signature list with no v1 entry as MALFORMED_HEADER', () => {
    expect(
      codeOf(() =>
        verifySignature({
          secret: SECRET,
          headers: { ...d.headers, 'webhook-timestamp': '12.5' },
          rawBody: d.body,
        }),
      ),
    ).toBe('MALFORMED_HEADER');
    expect(
      codeOf(() =>
        verifySignature({
          secret: SECRET,
          headers: { ...d.headers, 'webhook-signature': 'v2,abc' },
          rawBody: d.body,
        }),
      ),
    ).toBe('MALFORMED_HEADER');
  });

  it('never puts the secret or the signature in an error message', () => {
    const signature = d.headers['webhook-signature']!;
    const wrong = 'whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr';
    try {
      verifySignature({ secret: wrong, headers: d.headers, rawBody: d.body });
      expect.unreachable();
    } catch (error) {
      const text = `${(error as Error).message} ${JSON.stringify(error)} ${(error as Error).stack}`;
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(signature.slice(3));
    }
  });

  it('throws TypeError naming the option for bad options', () => {
    expect(() => createVerifier({ secret: '' })).toThrow(/secret option must not be empty/);
    expect(() => createVerifier({ secret: [] })).toThrow(/secret option/);
    expect(() => createVerifier({ secret: SECRET, tolerance: -1 })).toThrow(/tolerance option/);
    expect(() =>
      createVerifier({ secret: SECRET, tolerance: { pastSeconds: Number.NaN } }),
    ).toThrow(/tolerance.pastSeconds/);
  });
});

describe('signature schemes as values', () => {
  it('verifies the stripe-style `t=…,v1=<hex>` preset and rejects tampering', () => {
    const secret = 'plain-text-secret';
    const signed = signDelivery({
      secret,
      payload: liveEvent(),
      scheme: stripeStyleScheme,
      id: 'evt_1',
    });
    expect(signed.headers['trax-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      verifySignature({
        secret,
        scheme: stripeStyleScheme,
        headers: signed.headers,
        rawBody: signed.body,
      }).id,
    ).toBe('evt_1');
    expect(
      codeOf(() =>
        verifySignature({
          secret,
          scheme: stripeStyleScheme,
          headers: signed.headers,
          rawBody: `${signed.body} `,
        }),
      ),
    ).toBe('INVALID_SIGNATURE');
  });

  it('verifies the github-style `sha256=<hex>` body-only preset (no timestamp, no replay window)', () => {
    const secret = 'gh-secret';
    const signed = signDelivery({
      secret,
      payload: liveEvent(),
      scheme: githubStyleScheme,
      id: 'd-1',
    });
    expect(signed.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      verifySignature({
        secret,
        scheme: githubStyleScheme,
        headers: signed.headers,
        rawBody: signed.body,
      }),
    ).toEqual({
      id: 'd-1',
      timestamp: undefined,
      attempt: undefined,
    });
  });

  it('switches header names, algorithm and encoding by config alone', () => {
    const scheme = defineSignatureScheme({
      idHeader: 'X-Trax-Id',
      timestampHeader: 'X-Trax-Timestamp',
      signatureHeader: 'X-Trax-Signature',
      algorithm: 'sha512',
      encoding: 'hex',
    });
    const signed = signDelivery({ secret: SECRET, payload: liveEvent(), scheme });
    expect(Object.keys(signed.headers)).toEqual(
      expect.arrayContaining(['x-trax-id', 'x-trax-timestamp', 'x-trax-signature']),
    );
    expect(signed.headers['x-trax-signature']).toMatch(/^v1,[0-9a-f]{128}$/);
    expect(
      verifySignature({ secret: SECRET, scheme, headers: signed.headers, rawBody: signed.body }).id,
    ).toBe(signed.id);
    expect(
      codeOf(() =>
        verifySignature({ secret: SECRET, headers: signed.headers, rawBody: signed.body }),
      ),
    ).toBe('MISSING_HEADER');
  });

  it('rejects bad scheme options with a TypeError naming the option', () => {
    expect(() => defineSignatureScheme({ idHeader: 'bad header' })).toThrow(/idHeader option/);
    expect(() => defineSignatureScheme({ algorithm: 'sha-nope' })).toThrow(/algorithm option/);
    expect(() => defineSignatureScheme({ encoding: 'base32' as 'hex' })).toThrow(/encoding option/);
  });
});
