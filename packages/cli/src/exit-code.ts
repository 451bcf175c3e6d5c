/**
 * What `trax-webhooks` exits with. Scripts can tell a bad command line from a failed
 * delivery from a key the API refused.
 */
export const ExitCode = {
  /** Done: delivered, or stopped cleanly with Ctrl-C / SIGTERM. */
  OK: 0,
  /** A delivery was not delivered: every attempt failed (`send`), or it was still pending at stop (`forward`). */
  DELIVERY_FAILED: 1,
  /** Bad command line: unknown flag, bad value, missing key or secret, bad URL. */
  USAGE: 2,
  /** The TRaX API refused the key (401/403) for every studio: nothing left to poll. */
  API_REFUSED: 3,
  /** The mock API could not listen (port in use, no permission). */
  CANNOT_LISTEN: 4,
  /** An unexpected internal error: a bug (EX_SOFTWARE from sysexits). */
  INTERNAL: 70,
  /** `send` was interrupted (Ctrl-C / SIGTERM) before it was delivered: 128 + SIGINT. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
