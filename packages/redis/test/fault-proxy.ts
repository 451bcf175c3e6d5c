import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the real Redis that can misbehave on demand, so tests exercise real
 * network faults instead of a mocked client:
 * - `stall()` stops passing bytes either way (Redis looks alive but never answers) until `resume()`;
 * - `dropNextReply()` lets the next request reach Redis, then cuts the connection before the reply
 *   comes back, so ioredis reconnects and resends the command.
 */
export interface FaultProxy {
  readonly port: number;
  readonly url: string;
  /** How many client connections the proxy has accepted (a reconnect adds one). */
  readonly connections: number;
  stall(): void;
  resume(): void;
  dropNextReply(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(redisUrl: string): Promise<FaultProxy> {
  const target = new URL(redisUrl);
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let dropReply = false;
  let connections = 0;

  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(Number(target.port || 6379), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (dropReply) {
        dropReply = false;
        end();
        return;
      }
      client.write(chunk);
    });
    if (stalled) pausePair(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function pausePair([client, upstream]: [Socket, Socket]) {
    client.pause();
    upstream.pause();
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    stall() {
      stalled = true;
      for (const pair of pairs) pausePair(pair);
    },
    resume() {
      stalled = false;
      for (const [client, upstream] of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    dropNextReply() {
      dropReply = true;
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (connections are refused). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never answers: a Redis stalled at the TCP level. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
