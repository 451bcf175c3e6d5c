import { ExitCode } from './exit-code.js';

/**
 * A command-line mistake: printed as one line with a hint to `--help`, exit code 2.
 * Messages name the flag or variable, never its value (it may be a key or a secret).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.USAGE;
}
