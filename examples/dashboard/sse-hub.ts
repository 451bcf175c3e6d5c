import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardState, DashboardUpdate } from './dashboard-state.js';

/** Proxies drop a connection that stays silent too long; a comment line every 15 s keeps it open. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events for the page. Every connection starts with a `snapshot` event (the whole
 * state), then gets a `studio` or `log` event per change. A page that lost its connection
 * therefore needs no replay when it comes back: the first event it reads makes it whole.
 */
export class SseHub {
  readonly #state: DashboardState;
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  #refuseUntil = 0;

  constructor(state: DashboardState) {
    this.#state = state;
    this.#unsubscribe = state.subscribe((update) => this.#broadcast(update));
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS).unref();
  }

  /** How many pages are connected now. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Serves `GET /events`. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (Date.now() < this.#refuseUntil) {
      // What a restarting server or a broken proxy looks like to the page.
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('The dashboard is refusing event streams for a moment (drop-sse control).\n');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers responses unless told otherwise, which would hold every event back.
      'x-accel-buffering': 'no',
    });
    res.write(frame('snapshot', this.#state.snapshot()));
    this.#clients.add(res);
    req.once('close', () => this.#clients.delete(res));
  }

  /**
   * Cuts every connection, as a network failure would, and answers 503 to new ones for
   * `refuseMs`: what the page misses meanwhile it must recover from the next snapshot.
   * Returns how many connections were cut.
   */
  drop(refuseMs = 0): number {
    const dropped = this.#clients.size;
    this.#refuseUntil = Date.now() + refuseMs;
    for (const res of this.#clients) res.destroy();
    this.#clients.clear();
    return dropped;
  }

  /** Ends every stream and stops listening to the state. */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #broadcast(update: DashboardUpdate): void {
    const text = frame(update.kind, update);
    for (const res of this.#clients) res.write(text);
  }
}

/** One SSE message. JSON.stringify escapes newlines, so the data is always a single line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
