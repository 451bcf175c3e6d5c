export { createWebHandler, type WebHandler, type WebHandlerOptions } from './create-web-handler.js';
export type { WaitUntilContext } from './find-wait-until.js';
