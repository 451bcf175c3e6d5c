import pc from 'picocolors';
import { redactText } from './redact.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Where the CLI writes and what it knows of its terminal. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Progress text, recomputed at each redraw (so a countdown counts down). */
type ProgressText = () => string;

/**
 * Human lines (coloured on a terminal), JSON lines with `--json`, and on a terminal one live
 * progress line at the bottom that permanent lines scroll above. Everything it writes passes
 * through `redactText`: no URL credentials, and none of the values given to {@link hide}.
 */
export class CliOutput {
  readonly json: boolean;
  readonly c: Colors;
  readonly #io: CliIo;
  readonly #live: boolean;
  readonly #progress = new Map<string, ProgressText>();
  readonly #hidden = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #drawn = false;

  constructor(io: CliIo, options: { json: boolean }) {
    this.#io = io;
    this.json = options.json;
    const tty = io.stdout.isTTY === true && io.env.TERM !== 'dumb';
    this.#live = tty && !this.json;
    const force = io.env.FORCE_COLOR;
    const color = !this.json && (force !== undefined ? force !== '0' : tty && !io.env.NO_COLOR);
    this.c = pc.createColors(color);
  }

  /** Never prints `value` (a secret, an API key), whatever message carries it. */
  hide(value: string): void {
    this.#hidden.add(value);
  }

  /** A line for people; nothing in JSON mode. */
  say(text: string): void {
    if (!this.json) this.#write(this.#io.stdout, `${text}\n`);
  }

  /** A JSON line in JSON mode, `human` otherwise. */
  emit(type: string, fields: Record<string, unknown>, human: string): void {
    if (this.json) this.#put(this.#io.stdout, `${JSON.stringify({ type, ...fields })}\n`);
    else this.say(human);
  }

  /** A problem: a JSON line in JSON mode, a line on stderr otherwise. */
  warn(type: string, fields: Record<string, unknown>, human: string): void {
    if (this.json) this.#put(this.#io.stdout, `${JSON.stringify({ type, ...fields })}\n`);
    else this.#write(this.#io.stderr, `${human}\n`);
  }

  /** Sets (or with `undefined` clears) one entry of the live progress line. Terminal only. */
  progress(key: string, text: ProgressText | undefined): void {
    if (!this.#live) return;
    if (text) this.#progress.set(key, text);
    else this.#progress.delete(key);
    if (this.#progress.size > 0 && !this.#timer) {
      this.#timer = setInterval(() => this.#redraw(), 250);
      this.#timer.unref();
    }
    if (this.#progress.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    this.#redraw();
  }

  /** Clears the progress line; call before exiting. */
  close(): void {
    this.#progress.clear();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clear();
  }

  #write(stream: NodeJS.WritableStream, text: string): void {
    this.#clear();
    this.#put(stream, text);
    this.#redraw();
  }

  /** The one place that writes. */
  #put(stream: NodeJS.WritableStream, text: string): void {
    stream.write(redactText(text, this.#hidden));
  }

  #clear(): void {
    if (this.#drawn) this.#io.stdout.write('\r\x1b[2K');
    this.#drawn = false;
  }

  #redraw(): void {
    if (!this.#live) return;
    this.#clear();
    if (this.#progress.size === 0) return;
    const text = [...this.#progress.values()].map((render) => render()).join(this.c.dim('  ·  '));
    this.#put(this.#io.stdout, this.c.dim(text));
    this.#drawn = true;
  }
}
