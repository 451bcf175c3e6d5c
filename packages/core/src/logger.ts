/** The subset of a pino (or pino-compatible) logger the receiver writes to. */
export interface WebhookLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const noop = () => {};

/** The default: logs nothing. */
export const silentLogger: WebhookLogger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});

/** @throws {TypeError} when `logger` lacks one of the four methods */
export function checkLogger(logger: unknown, option = 'logger'): WebhookLogger {
  if (logger === undefined) return silentLogger;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof (logger as Record<string, unknown> | null)?.[level] !== 'function') {
      throw new TypeError(
        `${option} option must be a pino-compatible logger with a ${level}() method`,
      );
    }
  }
  return logger as WebhookLogger;
}
