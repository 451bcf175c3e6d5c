/**
 * The Node half of the adapter contract (`@trax-webhooks/core/node`): reading a body off an
 * `IncomingMessage` within the receiver's bounds, and writing core's answer to a
 * `ServerResponse`, including a refusal (413, 408) that the sender actually gets to read.
 * Node-only; `@trax-webhooks/core` and `@trax-webhooks/core/adapter` stay free of Node built-ins.
 */
export { type ReadNodeBodyOptions, readNodeBody, readNodeBodyThen } from './read-node-body.js';
export {
  type RefuseNodeUploadOptions,
  refuseNodeUpload,
  writeNodeAnswer,
} from './write-node-answer.js';
