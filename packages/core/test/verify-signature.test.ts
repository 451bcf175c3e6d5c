import {
  createVerifier as createVerifierWith,
  decodeWhsecSecret,
  defineSignatureScheme,
  githubStyleScheme,
  signDelivery,
  standardWebhooksScheme,
  stripeStyleScheme,
  TraxWebhookError,
  verifySignature as verifyWith,
} from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';
import { liveEvent, OTHER_SECRET, SECRET } from './helpers.js';

const codeOf = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TraxWebhookError);
    return (error as TraxWebhookError).code;
  }
  return 'no error';
};

// Each case runs on both HMAC paths: node:crypto (synchronous) and Web Crypto (a promise).
describe.each(['node', 'web'] as const)('verifySignature with %s crypto', (crypto) => {
  const verifySignature = (options: Parameters<typeof verifyWith>[0]) =>
    verifyWith({ crypto, ...options });
  const createVerifier = (options: Parameters<typeof createVerifierWith>[0]) =>
    createVerifierWith({ crypto, ...options });

  const d = signDelivery({ secret: SECRET, payload: liveEvent() });

  it('returns the delivery id, timestamp and attempt of a valid delivery', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent(), attempt: 3 });
    expect(
      await verifySignature({ secret: SECRET, headers: signed.headers, rawBody: signed.body }),
    ).toEqual({
      id: signed.id,
      timestamp: signed.timestamp,
      attempt: 3,
    });
  });

  it('reads header names case-insensitively and from a fetch Headers', async () => {
    const upper = Object.fromEntries(
      Object.entries(d.headers).map(([k, v]) => [k.toUpperCase(), v]),
    );
    expect((await verifySignature({ secret: SECRET, headers: upper, rawBody: d.body })).id).toBe(
      d.id,
    );
    expect(
      (await verifySignature({ secret: SECRET, headers: new Headers(d.headers), rawBody: d.body }))
        .id,
    ).toBe(d.id);
  });

  it('returns false-y answers as errors: incorrect secret is INVALID_SIGNATURE (401)', async () => {
    expect(
      await codeOf(() =>
        verifySignature({
          secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA',
          headers: d.headers,
          rawBody: d.body,
        }),
      ),
    ).toBe('INVALID_SIGNATURE');
  });

  it('names each missing header as MISSING_HEADER (400)', async () => {
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = { ...d.headers };
      delete headers[header];
      expect(
        await codeOf(() => verifySignature({ secret: SECRET, headers, rawBody: d.body })),
      ).toBe('MISSING_HEADER');
    }
  });

  it('rejects a non-numeric timestamp and a signature list with no v1 entry as MALFORMED_HEADER', async () => {
    expect(
      await codeOf(() =>
        verifySignature({
          secret: SECRET,
          headers: { ...d.headers, 'webhook-timestamp': '12.5' },
          rawBody: d.body,
        }),
      ),
    ).toBe('MALFORMED_HEADER');
    expect(
      await codeOf(() =>
        verifySignature({
          secret: SECRET,
          headers: { ...d.headers, 'webhook-signature': 'v2,abc' },
          rawBody: d.body,
        }),
      ),
    ).toBe('MALFORMED_HEADER');
  });

  it('never puts the secret or the signature in an error message', async () => {
    const signature = d.headers['webhook-signature']!;
    const wrong = 'whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr';
    try {
      await verifySignature({ secret: wrong, headers: d.headers, rawBody: d.body });
      expect.unreachable();
    } catch (error) {
      const text = `${(error as Error).message} ${JSON.stringify(error)} ${(error as Error).stack}`;
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(signature.slice(3));
    }
  });

  it('throws TypeError naming the option for bad options', async () => {
    expect(() => createVerifier({ secret: '' })).toThrow(/secret option must not be empty/);
    expect(() => createVerifier({ secret: [] })).toThrow(/secret option/);
    expect(() => createVerifier({ secret: SECRET, tolerance: -1 })).toThrow(/tolerance option/);
    expect(() =>
      createVerifier({ secret: SECRET, tolerance: { pastSeconds: Number.NaN } }),
    ).toThrow(/tolerance.pastSeconds/);
  });
});

describe.each(['node', 'web'] as const)('signature schemes as values, with %s crypto', (crypto) => {
  const verify = async (options: Parameters<typeof verifyWith>[0]) =>
    verifyWith({ crypto, ...options });

  it('verifies the stripe-style `t=…,v1=<hex>` preset and rejects tampering', async () => {
    const secret = 'plain-text-secret';
    const signed = signDelivery({
      secret,
      payload: liveEvent(),
      scheme: stripeStyleScheme,
      id: 'evt_1',
    });
    expect(signed.headers['trax-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const parts = { secret, scheme: stripeStyleScheme, headers: signed.headers };
    expect((await verify({ ...parts, rawBody: signed.body })).id).toBe('evt_1');
    expect(await codeOf(() => verify({ ...parts, rawBody: `${signed.body} ` }))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it('verifies the github-style `sha256=<hex>` body-only preset (no timestamp, no replay window)', async () => {
    const secret = 'gh-secret';
    const signed = signDelivery({
      secret,
      payload: liveEvent(),
      scheme: githubStyleScheme,
      id: 'd-1',
    });
    expect(signed.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      await verify({
        secret,
        scheme: githubStyleScheme,
        headers: signed.headers,
        rawBody: signed.body,
      }),
    ).toEqual({ id: 'd-1', timestamp: undefined, attempt: undefined });
  });

  it('reads every Standard Webhooks v1 candidate, and only those', () => {
    const parse = (value: string) => standardWebhooksScheme.parseSignatureHeader(value).signatures;
    expect(parse('v1,aa')).toEqual(['aa']);
    expect(parse('v1,aa v1,bb')).toEqual(['aa', 'bb']);
    expect(parse('v1,aa v1,bb v1,cc')).toEqual(['aa', 'bb', 'cc']);
    // A repeated header arrives joined with ", ": the comma is the join's, not the signature's.
    expect(parse('v1,aa, v1,bb')).toEqual(['aa', 'bb']);
    expect(parse('v1a,asymmetric v1,cc v2,dd xv1,ee')).toEqual(['cc']);
    expect(parse('v1, v1,,')).toEqual(['']);
    expect(parse('  ')).toEqual([]);
  });

  it('reads every github-style candidate, however a repeated header was joined', () => {
    const parse = (value: string) => githubStyleScheme.parseSignatureHeader(value).signatures;
    expect(parse('sha256=aa')).toEqual(['aa']);
    // Node and fetch join a repeated header with ", "; a proxy may use "," or spaces.
    expect(parse('sha256=aa, sha256=bb')).toEqual(['aa', 'bb']);
    expect(parse('sha256=aa,sha256=bb')).toEqual(['aa', 'bb']);
    expect(parse('sha256=aa sha256=bb sha256=cc')).toEqual(['aa', 'bb', 'cc']);
    expect(parse('  sha256=aa  ,  sha256=bb,')).toEqual(['aa', 'bb']);
    // Other algorithms are not ours to check; an empty one is kept, and then simply never matches.
    expect(parse('sha1=zz sha256=cc xsha256=dd')).toEqual(['cc']);
    expect(parse('sha256=')).toEqual(['']);
    expect(parse(' , ')).toEqual([]);
  });

  it('switches header names, algorithm and encoding by config alone', async () => {
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
      (await verify({ secret: SECRET, scheme, headers: signed.headers, rawBody: signed.body })).id,
    ).toBe(signed.id);
    expect(
      await codeOf(() => verify({ secret: SECRET, headers: signed.headers, rawBody: signed.body })),
    ).toBe('MISSING_HEADER');
  });

  it('signs and verifies SHA-384 and SHA-512 in base64 (the hashes Web Crypto and node:crypto share)', async () => {
    for (const [algorithm, length] of [
      ['sha384', 64],
      ['sha512', 88],
    ] as const) {
      const scheme = defineSignatureScheme({ algorithm });
      const signed = signDelivery({ secret: SECRET, payload: liveEvent(), scheme });
      expect(signed.headers['webhook-signature']!.slice(3)).toHaveLength(length);
      expect(
        (await verify({ secret: SECRET, scheme, headers: signed.headers, rawBody: signed.body }))
          .id,
      ).toBe(signed.id);
      expect(
        await codeOf(() =>
          verify({ secret: OTHER_SECRET, scheme, headers: signed.headers, rawBody: signed.body }),
        ),
      ).toBe('INVALID_SIGNATURE');
    }
  });

  it('hands a custom scheme the body as a Uint8Array (not a Buffer), and takes Uint8Array keys back', async () => {
    const seen: unknown[] = [];
    const scheme = defineSignatureScheme({
      decodeSecret: (secret) => new TextEncoder().encode(secret.toUpperCase()),
      signedContent: (parts) => {
        seen.push(parts.body);
        return [`${parts.id}.${parts.timestamp}.`, parts.body];
      },
    });
    const signed = signDelivery({ secret: 'custom-secret', payload: liveEvent(), scheme });
    const rawBody = new TextEncoder().encode(signed.body);
    expect(
      (await verify({ secret: 'custom-secret', scheme, headers: signed.headers, rawBody })).id,
    ).toBe(signed.id);
    expect(seen).toHaveLength(2); // once signing, once verifying
    for (const body of seen) {
      expect(body).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(body)).toBe(false);
    }
  });

  it('refuses a signature whose characters only look the same byte-wise (U+0141 for A: latin1 would truncate it to 0x41)', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const signature = signed.headers['webhook-signature']!.slice(3);
    const at = signature.search(/[A-Za-z]/);
    const lookalike =
      signature.slice(0, at) +
      String.fromCharCode(0x100 + signature.charCodeAt(at)) +
      signature.slice(at + 1);
    const headers = { ...signed.headers, 'webhook-signature': `v1,${lookalike}` };
    expect(await codeOf(() => verify({ secret: SECRET, headers, rawBody: signed.body }))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it('accepts only the canonical spelling of a signature (no lenient base64 or upper-case hex)', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const signature = signed.headers['webhook-signature']!.slice(3);
    // The last base64 character of a 32-byte MAC carries 2 unused bits: flipping one of them
    // decodes to the same bytes, and still must not pass.
    const last = signature.at(-2)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    const lenient = `${signature.slice(0, -2)}${sibling}=`;
    expect(Buffer.from(lenient, 'base64')).toEqual(Buffer.from(signature, 'base64'));
    const headers = { ...signed.headers, 'webhook-signature': `v1,${lenient}` };
    expect(await codeOf(() => verify({ secret: SECRET, headers, rawBody: signed.body }))).toBe(
      'INVALID_SIGNATURE',
    );

    const gh = signDelivery({ secret: 'gh', payload: liveEvent(), scheme: githubStyleScheme });
    const ghSignature = gh.headers['x-hub-signature-256']!;
    const upper = {
      ...gh.headers,
      'x-hub-signature-256': `sha256=${ghSignature.slice(7).toUpperCase()}`,
    };
    expect(
      await codeOf(() =>
        verify({ secret: 'gh', scheme: githubStyleScheme, headers: upper, rawBody: gh.body }),
      ),
    ).toBe('INVALID_SIGNATURE');
  });
});

describe('the HMAC path each runtime gets', () => {
  it('answers synchronously on Node (node:crypto), with a promise when Web Crypto is asked for', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const onNode = verifyWith({ secret: SECRET, headers: signed.headers, rawBody: signed.body });
    expect(onNode).not.toBeInstanceOf(Promise);
    expect((onNode as { id: string }).id).toBe(signed.id);
    const onWeb = verifyWith({
      secret: SECRET,
      headers: signed.headers,
      rawBody: signed.body,
      crypto: 'web',
    });
    expect(onWeb).toBeInstanceOf(Promise);
    expect((await onWeb).id).toBe(signed.id);
  });

  it('rejects (never throws) on the Web Crypto path, whatever is wrong', async () => {
    const verify = createVerifierWith({ secret: SECRET, crypto: 'web' });
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const { 'webhook-id': _, ...noId } = signed.headers;
    const pending = verify(noId, signed.body);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toMatchObject({ code: 'MISSING_HEADER', status: 400 });
  });

  it('rejects a crypto option it does not know', () => {
    expect(() => createVerifierWith({ secret: SECRET, crypto: 'openssl' as 'web' })).toThrow(
      /crypto option/,
    );
  });
});

describe('scheme options', () => {
  it('rejects bad scheme options with a TypeError naming the option', () => {
    expect(() => defineSignatureScheme({ idHeader: 'bad header' })).toThrow(/idHeader option/);
    expect(() => defineSignatureScheme({ algorithm: 'sha-nope' as 'sha256' })).toThrow(
      /algorithm option/,
    );
    expect(() => defineSignatureScheme({ encoding: 'base32' as 'hex' })).toThrow(/encoding option/);
    expect(() => defineSignatureScheme({ headerAliases: { idHeader: 'bad header' } })).toThrow(
      /headerAliases.idHeader option/,
    );
  });

  it('limits the algorithm to SHA-256, SHA-384 and SHA-512 (what Web Crypto has too)', () => {
    for (const algorithm of ['md5', 'sha1', 'sha224', 'ripemd160']) {
      expect(() => defineSignatureScheme({ algorithm: algorithm as 'sha256' })).toThrow(
        'algorithm option must be one of sha256, sha384, sha512',
      );
    }
  });

  it('decodes whsec_ secrets to a Uint8Array, not a Buffer', () => {
    const key = decodeWhsecSecret(SECRET);
    expect(key).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(key)).toBe(false);
    expect(Buffer.from(key)).toEqual(Buffer.from(SECRET.slice('whsec_'.length), 'base64'));
    expect(Buffer.isBuffer(decodeWhsecSecret('plain'))).toBe(false);
  });

  it('drops the svix-* aliases when a scheme renames its headers, and keeps them otherwise', () => {
    expect(defineSignatureScheme({ idHeader: 'x-trax-id' }).headerAliases).toBeUndefined();
    expect(defineSignatureScheme({ algorithm: 'sha512' }).headerAliases).toEqual({
      idHeader: 'svix-id',
      timestampHeader: 'svix-timestamp',
      signatureHeader: 'svix-signature',
    });
  });
});

describe('the optional attempt header', () => {
  const verify = createVerifierWith({ secret: SECRET, crypto: 'node' }) as (
    headers: Parameters<ReturnType<typeof createVerifierWith>>[0],
    body: string,
  ) => { attempt?: number };
  const signed = () => signDelivery({ secret: SECRET, payload: liveEvent() });

  it('is read from lower-case names, and absent when it is absent', () => {
    const { headers, body } = signed();
    expect(verify({ ...headers, 'webhook-attempt': '3' }, body).attempt).toBe(3);
    expect(verify(headers, body).attempt).toBeUndefined();
  });

  it('is still found case-insensitively when the headers use other cases', () => {
    const { headers, body } = signed();
    const mixed = {
      'Webhook-Id': headers['webhook-id'],
      'Webhook-Timestamp': headers['webhook-timestamp'],
      'Webhook-Signature': headers['webhook-signature'],
      'Webhook-Attempt': '2',
    };
    expect(verify(mixed, body).attempt).toBe(2);
  });

  it('is read through a Fetch Headers object', () => {
    const { headers, body } = signed();
    expect(verify(new Headers({ ...headers, 'Webhook-Attempt': '4' }), body).attempt).toBe(4);
  });
});
