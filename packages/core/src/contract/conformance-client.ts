import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** An answer as the suite reads it. */
export interface ConformanceAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  json:
    | { ok?: boolean; duplicate?: boolean; accepted?: boolean; error?: { code: string } }
    | undefined;
}

/** Sends one request with fetch (a fresh Node client: what most senders are). */
export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<ConformanceAnswer> {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
  });
  const text = await res.text();
  let json: ConformanceAnswer['json'];
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** What a raw socket saw: everything the server wrote, and whether the server closed it. */
export interface RawExchange {
  response: string;
  closedByServer: boolean;
  elapsedMs: number;
}

/**
 * Writes `head` and `chunks` on a bare TCP socket and waits until the server closes the
 * connection or `waitMs` passes: half a body then silence, which HTTP clients will not send.
 */
export function rawExchange(
  url: string,
  head: string,
  chunks: readonly (string | Uint8Array)[],
  waitMs: number,
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let response = '';
    let settled = false;
    const done = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, closedByServer, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      response += data;
    });
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer is still the server closing the connection.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') done(true);
      else reject(error);
    });
    socket.on('connect', () => {
      socket.write(head);
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

/** The request line and headers of a raw HTTP/1.1 request to `url`. */
export function requestHead(url: string, method: string, headers: Record<string, string>): string {
  const { host, pathname, search } = new URL(url);
  const lines = Object.entries({ host, ...headers }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  return `${method} ${pathname}${search} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** The status code of a raw HTTP response. */
export function statusOf(response: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : undefined;
}

/** What an upload saw: the status it read (if any), the body, and the error it hit (if any). */
export interface UploadResult {
  status?: number;
  body: string;
  error?: string;
}

const CHUNK = new Uint8Array(64 * 1024).fill(0x78);

/**
 * Uploads `size` bytes the way issue 11 reproduced the lost 413: a `node:http` client on a
 * fresh connection (`agent: false`), 64 KiB chunks written with backpressure (the next one
 * only after 'drain'), with a `Content-Length` or chunked. Resolves with what it read; never
 * rejects (EPIPE / ECONNRESET before an answer is a result: the answer was lost).
 */
export function upload(
  url: string,
  options: { size: number; chunked: boolean; headers: Record<string, string> },
): Promise<UploadResult> {
  const { hostname, port, pathname, search } = new URL(url);
  const headers: Record<string, string> = { ...options.headers };
  if (!options.chunked) headers['content-length'] = String(options.size);
  return new Promise((resolve) => {
    const result: UploadResult = { body: '' };
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = httpRequest({
      hostname,
      port: Number(port),
      path: pathname + search,
      method: 'POST',
      headers,
      agent: false,
    });
    req.on('response', (res) => {
      result.status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        result.body += text;
      });
      res.on('end', finish);
      res.on('error', (error: NodeJS.ErrnoException) => {
        result.error = error.code ?? error.message;
        finish();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      result.error ??= error.code ?? error.message;
      // An answer may still be on its way to 'response' when the write fails: give it a moment.
      setTimeout(finish, 50);
    });
    let sent = 0;
    const write = () => {
      while (sent < options.size) {
        const length = Math.min(CHUNK.byteLength, options.size - sent);
        sent += length;
        const ok = req.write(length === CHUNK.byteLength ? CHUNK : CHUNK.subarray(0, length));
        if (!ok) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}
