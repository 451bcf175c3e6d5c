export type { CliIo } from './cli-output.js';
export {
  createForwarder,
  type Forwarder,
  type ForwarderOptions,
  type UndeliveredEvent,
} from './create-forwarder.js';
export { ExitCode } from './exit-code.js';
export { formatDuration, parseDuration, parseSchedule } from './parse-duration.js';
export { type ReceiverAnswer, receiverAnswer } from './receiver-answer.js';
export { redactText, redactUrl } from './redact.js';
export { mainHelp, runCli } from './run-cli.js';
export { UsageError } from './usage-error.js';
