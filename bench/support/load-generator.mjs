// A lean HTTP/1.1 load generator for the server benches: keep-alive connections over raw TCP,
// each with one request in flight at a time (as autocannon does), every request a pre-encoded
// buffer built before the phase. It exists because autocannon's per-request `setupRequest`
// costs the generator more CPU than the servers it loads spend: on two shared cores the servers
// then wake for one or two requests at a time and their CPU per request comes out inflated by
// wakeup overhead rather than by their own work (issue 15 saw about 3×).
import { connect } from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:\s*chunked/i;
const CHUNKED_END = Buffer.from('0\r\n\r\n');

/** Encodes one POST as the bytes that go on the wire. */
export function encodeRequest({ host, path, headers, body }) {
  const payload = Buffer.from(body);
  let head = `POST ${path} HTTP/1.1\r\nhost: ${host}\r\ncontent-length: ${payload.length}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), payload]);
}

/**
 * Sends `requests` (encoded buffers, each sent once) over `connections` keep-alive connections
 * to 127.0.0.1:`port`, one in flight per connection. Resolves with the counts by status class,
 * errors, and req/s over the phase.
 */
export function load({ port, requests, connections }) {
  return new Promise((resolve) => {
    const counts = { '2xx': 0, non2xx: 0, errors: 0 };
    let next = 0;
    let open = 0;
    const started = performance.now();
    const done = () => {
      const seconds = (performance.now() - started) / 1000;
      resolve({ ...counts, rps: (counts['2xx'] + counts.non2xx) / seconds, seconds });
    };
    for (let c = 0; c < Math.min(connections, requests.length); c++) {
      open++;
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      let pending = Buffer.alloc(0);
      const sendNext = () => {
        if (next >= requests.length) {
          socket.end();
          return;
        }
        socket.write(requests[next++]);
      };
      socket.on('connect', sendNext);
      socket.on('data', (chunk) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        // Every complete response in `pending` (one at a time per connection, but a response
        // may arrive split across chunks).
        for (;;) {
          const end = pending.indexOf(HEADER_END);
          if (end < 0) return;
          const head = pending.toString('latin1', 0, end);
          let total;
          const length = CONTENT_LENGTH.exec(head);
          if (length) total = end + 4 + Number(length[1]);
          else if (CHUNKED.test(head)) {
            const last = pending.indexOf(CHUNKED_END, end + 4);
            if (last < 0) return;
            total = last + CHUNKED_END.length;
          } else total = end + 4;
          if (pending.length < total) return;
          const status = Number(head.slice(9, 12));
          if (status >= 200 && status < 300) counts['2xx']++;
          else counts.non2xx++;
          pending = pending.subarray(total);
          sendNext();
        }
      });
      socket.on('error', () => {
        counts.errors++;
      });
      socket.on('close', () => {
        if (--open === 0) done();
      });
    }
  });
}
