// The Web Crypto floor: the fastest correct Standard Webhooks verify + parse written inline with
// `crypto.subtle`, the same guarantees as ./inline-verify.mjs (three headers, the replay window
// both ways, HMAC-SHA256 over `id.timestamp.body`, each `v1,` candidate checked, JSON.parse).
// `subtle.verify` compares in constant time itself. The signed content is assembled in one
// reused buffer, as our Web path does (Web Crypto copies it before `verify` returns). It is
// what bounds the Web Crypto goal: on Node each `verify` is a trip through libuv's thread
// pool, whoever calls it.
const SIGNATURE_LENGTH = 44; // an HMAC-SHA256 in padded base64
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** A verify + parse of one Standard Webhooks delivery with Web Crypto, inline (async). */
export async function inlineWebVerifier(whsecSecret, toleranceSeconds = 300) {
  const subtle = globalThis.crypto.subtle;
  const keyBytes = Uint8Array.from(atob(whsecSecret.slice('whsec_'.length)), (c) =>
    c.charCodeAt(0),
  );
  const key = await subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const scratch = new Uint8Array(64 * 1024);
  return async function inlineWebVerify(headers, rawBody) {
    const id = headers['webhook-id'];
    const timestamp = headers['webhook-timestamp'];
    const signatures = headers['webhook-signature'];
    if (!id || !timestamp || !signatures) throw new Error('missing header');
    const age = Date.now() / 1000 - Number(timestamp);
    if (!(age <= toleranceSeconds && -age <= toleranceSeconds)) throw new Error('stale');
    const candidates = [];
    for (const entry of signatures.split(' ')) {
      const text = entry.slice(3);
      // Only the canonical spelling: atob would also take other ones.
      if (entry.startsWith('v1,') && text.length === SIGNATURE_LENGTH && BASE64.test(text))
        candidates.push(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
    }
    if (candidates.length === 0) throw new Error('bad signature');
    const head = encoder.encode(`${id}.${timestamp}.`);
    let data;
    if (head.length + rawBody.byteLength <= scratch.length) {
      scratch.set(head);
      scratch.set(rawBody, head.length);
      data = scratch.subarray(0, head.length + rawBody.byteLength);
    } else {
      data = new Uint8Array(head.length + rawBody.byteLength);
      data.set(head);
      data.set(rawBody, head.length);
    }
    const results = await Promise.all(
      candidates.map((candidate) => subtle.verify('HMAC', key, candidate, data)),
    );
    if (!results.includes(true)) throw new Error('bad signature');
    return JSON.parse(decoder.decode(rawBody));
  };
}
