export {
  answerOf,
  answerOfError,
  type ErrorAnswerRule,
  errorAnswers,
  successAnswers,
  type WebhookResponse,
} from './answers.js';
export { combineObservers } from './combine-observers.js';
export { contentEventKey } from './content-event-key.js';
export {
  createTraxWebhooks,
  type EventSink,
  type HandleContext,
  type HandleNowContext,
  type TraxWebhooks,
  type WebhookRequest,
} from './create-trax-webhooks.js';
export { type HmacAlgorithm, hmacAlgorithms } from './crypto/hmac-algorithm.js';
export type { CryptoImplementation } from './crypto/signature-matcher.js';
export type { DeliveryContext, EventSource } from './delivery-context.js';
export type { DeliveryQueue, EnqueueOutcome, QueuedDelivery } from './delivery-queue.js';
export type { ClaimResult, DeliveryStore } from './delivery-store.js';
export {
  bodyTooLargeError,
  type HttpErrorCode,
  isHttpErrorCode,
  isTraxWebhookError,
  type PollErrorCode,
  type StatusOf,
  statusOfErrorCode,
  TraxWebhookError,
  TraxWebhookErrorCode,
  type TraxWebhookErrorDetails,
} from './errors.js';
export {
  type AnyTraxEvent,
  type ChatAuthor,
  type ChatMessageData,
  type ConnectionStatus,
  type DestinationStatusChangedData,
  isEventOfType,
  isTraxEventType,
  type SourceStatusChangedData,
  type StreamLiveData,
  type StreamMode,
  type StreamOfflineData,
  type StudioEventData,
  type TraxEvent,
  type TraxEventMap,
  type TraxEventType,
  traxEventTypes,
} from './events.js';
export type { AnsweredResult, HandleOutcome, HandleResult } from './handle-result.js';
export { type HeaderSource, readHeader } from './headers.js';
export { checkLogger, silentLogger, type WebhookLogger } from './logger.js';
export { MemoryDeliveryStore, type MemoryDeliveryStoreOptions } from './memory-delivery-store.js';
export type {
  DeliveryObserver,
  ObservedOutcome,
  PollObserver,
  PollOutcome,
} from './observer.js';
export { assertEnvelope, parseEvent } from './parse-event.js';
export { isPermanentFailure, permanentFailure } from './permanent-failure.js';
export { type AckMode, DEFAULT_BODY_LIMIT, type TraxWebhooksOptions } from './receiver-options.js';
export type {
  ErrorHandler,
  EventHandler,
  TraxWebhookRouter,
  Unsubscribe,
} from './router.js';
export type { WebhookSecret, WebhookSecrets } from './secrets.js';
export { type SignDeliveryOptions, type SignedDelivery, signDelivery } from './sign-delivery.js';
export {
  decodeWhsecSecret,
  defineSignatureScheme,
  githubStyleScheme,
  type ParsedSignatureHeader,
  type SignatureHeaderAliases,
  type SignatureScheme,
  type SignatureSchemeOptions,
  type SignedParts,
  standardWebhooksScheme,
  stripeStyleScheme,
} from './signature-scheme.js';
export {
  MemoryStudioStateStore,
  type MemoryStudioStateStoreOptions,
  type StudioState,
  type StudioStateStore,
} from './studio-state-store.js';
export { DEFAULT_TOLERANCE_SECONDS, type Tolerance, type ToleranceOption } from './tolerance.js';
export { type VerifyEventOptions, verifyEvent } from './verify-event.js';
export {
  type AsyncVerifier,
  createVerifier,
  type RawBody,
  type SyncVerifier,
  type VerifiedDelivery,
  type Verifier,
  type VerifierOptions,
  verifySignature,
} from './verify-signature.js';
