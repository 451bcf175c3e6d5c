import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/**
 * A redis-server of the test's own, with an append-only file fsynced on every write, so a
 * SIGKILL loses nothing it acknowledged. The shared Redis is never disturbed.
 */
export class RedisServerProcess {
  #child: ChildProcess | undefined;
  readonly port: number;
  readonly dir: string;

  constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      this.dir,
      '--save',
      '',
    ];
    this.#child = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis(this.url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => {});
    try {
      for (let tries = 0; ; tries++) {
        try {
          await probe.connect();
          // LOADING while the AOF is replayed: wait for a real answer.
          await probe.ping();
          return;
        } catch (error) {
          probe.disconnect();
          if (tries > 100 || this.#child.exitCode !== null)
            throw new Error(`redis-server did not start: ${(error as Error).message}`);
          await sleep(50);
        }
      }
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server the hard way: no shutdown, no save. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
