// What an HTTP parser hands the verifier for each request: a new headers record (lower-case
// names, the set a real sender's POST carries) whose values are new strings decoded from
// bytes, and a new body buffer. Reusing one request across ops would let a contender profit
// from work done on the previous op (flattened or internalised strings, warm caches, one
// object shape seen a million times); a fresh one costs every contender the same.
import { Buffer } from 'node:buffer';

/**
 * Keeps `headers` and `body` as bytes; `next()` returns a fresh `{ headers, rawBody }`.
 * @param {Record<string, string>} headers the signed delivery's headers
 * @param {string} body the signed body
 */
export function freshRequests(headers, body) {
  const bodyBytes = Buffer.from(body);
  const all = {
    host: '127.0.0.1:3000',
    'user-agent': 'trax-webhooks-bench/1',
    accept: '*/*',
    'accept-encoding': 'gzip, br',
    'content-length': String(bodyBytes.length),
    connection: 'keep-alive',
    ...headers,
  };
  const names = Object.keys(all);
  const values = names.map((name) => Buffer.from(all[name], 'latin1'));
  return {
    next() {
      const fresh = {};
      for (let i = 0; i < names.length; i++) fresh[names[i]] = values[i].toString('latin1');
      // Buffer.from copies: < 4 KiB lands in Node's shared pool (a view at an offset, as a
      // socket chunk is), 16 KiB gets its own ArrayBuffer.
      return { headers: fresh, rawBody: Buffer.from(bodyBytes) };
    },
  };
}
