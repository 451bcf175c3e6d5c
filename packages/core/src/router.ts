import type { DeliveryContext } from './delivery-context.js';
import type { TraxWebhookError } from './errors.js';
import type { AnyTraxEvent, TraxEvent, TraxEventType } from './events.js';

/** A handler for one event type; the event is typed from the type's name. */
export type EventHandler<E = AnyTraxEvent> = (event: E, ctx: DeliveryContext) => unknown;

/** Receives every failure: rejected deliveries, failed handlers, store outages. */
export type ErrorHandler = (error: TraxWebhookError) => unknown;

/** Told of each handler's end when a delivery is observed (see `DeliveryObserver.handlerSettled`). */
export type HandlerWatch = (handler: AnyHandler, durationMs: number, error: unknown) => void;

/** Removes the handler it was returned for. */
export type Unsubscribe = () => void;

/**
 * Typed event subscription, shared by the core, the Express middleware, the Fastify
 * plugin and the poller: handlers written once run for every source.
 */
export interface TraxWebhookRouter {
  /**
   * Runs `handler` for each event of `type`. Returns a function that removes it.
   *
   * `type` is one of the catalog's names, or a name you added by augmenting `TraxEventMap`
   * (a misspelt name is a type error, not a handler that silently never fires). For event
   * types nobody declared, use {@link TraxWebhookRouter.onAny}.
   *
   * @example
   * ```ts
   * declare module '@trax-webhooks/core' {
   *   interface TraxEventMap { 'studio.renamed': { studioId: string; name: string } }
   * }
   * webhooks.on('studio.renamed', (event) => event.data.name); // typed
   * ```
   */
  on<T extends TraxEventType>(type: T, handler: EventHandler<TraxEvent<T>>): Unsubscribe;
  /** Removes a handler added with {@link TraxWebhookRouter.on}. */
  off<T extends TraxEventType>(type: T, handler: EventHandler<TraxEvent<T>>): void;
  /** `stream.live`: a studio went live. */
  onStreamLive(handler: EventHandler<TraxEvent<'stream.live'>>): Unsubscribe;
  /** `stream.offline`: a studio went offline. */
  onStreamOffline(handler: EventHandler<TraxEvent<'stream.offline'>>): Unsubscribe;
  /** `source.status_changed`: a source's status changed. */
  onSourceStatusChanged(handler: EventHandler<TraxEvent<'source.status_changed'>>): Unsubscribe;
  /** `destination.status_changed`: a destination's status changed. */
  onDestinationStatusChanged(
    handler: EventHandler<TraxEvent<'destination.status_changed'>>,
  ): Unsubscribe;
  /** `chat.message`: a chat message was received. */
  onChatMessage(handler: EventHandler<TraxEvent<'chat.message'>>): Unsubscribe;
  /** Runs `handler` for every event, known types and unknown ones alike. */
  onAny(handler: EventHandler<AnyTraxEvent>): Unsubscribe;
  /** Removes a handler added with {@link TraxWebhookRouter.onAny}. */
  offAny(handler: EventHandler<AnyTraxEvent>): void;
  /** Runs `handler` for every failure. A throwing error handler is logged, never rethrown. */
  onError(handler: ErrorHandler): Unsubscribe;
  /** Removes a handler added with {@link TraxWebhookRouter.onError}. */
  offError(handler: ErrorHandler): void;
}

/** The router plus what the pipeline needs to drive it. Internal to the packages. */
export interface EventRouter extends TraxWebhookRouter {
  /**
   * Runs the type's handlers and the `onAny` handlers concurrently; fails if any failed. A lone
   * handler is called directly (it may throw, or return what it returns): await the result.
   * With `watch` (an observed delivery), every handler is timed and `watch` told how it ended.
   */
  dispatch(event: AnyTraxEvent, ctx: DeliveryContext, watch?: HandlerWatch): unknown;
  /** Whether any handler (typed or `onAny`) would run for `type`. */
  handles(type: string): boolean;
  /** Hands an error to every `onError` handler; never rejects. */
  emitError(error: TraxWebhookError, onHandlerError: (error: unknown) => void): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers of every event type share one map
type AnyHandler = EventHandler<any>;

/** Creates an empty router. */
export function createEventRouter(): EventRouter {
  const byType = new Map<string, Set<AnyHandler>>();
  const any = new Set<AnyHandler>();
  const errorHandlers = new Set<ErrorHandler>();
  // What dispatch runs for a type, as arrays made when a subscription changes rather than at
  // every delivery: each is a snapshot (a handler that unsubscribes mid-dispatch replaces the
  // array, it does not change the one being run). Only types with handlers of their own are
  // kept, so unknown types cannot grow the cache.
  const dispatchLists = new Map<string, readonly AnyHandler[]>();
  let anyList: readonly AnyHandler[] | undefined;

  function handlersOf(type: string): readonly AnyHandler[] {
    const typed = byType.get(type);
    if (typed === undefined || typed.size === 0) {
      anyList ??= [...any];
      return anyList;
    }
    let list = dispatchLists.get(type);
    if (list === undefined) {
      list = [...typed, ...any];
      dispatchLists.set(type, list);
    }
    return list;
  }
  function anyChanged(): void {
    dispatchLists.clear();
    anyList = undefined;
  }

  function on(type: string, handler: AnyHandler): Unsubscribe {
    if (typeof type !== 'string' || type.length === 0)
      throw new TypeError('type must be a non-empty event type string');
    if (typeof handler !== 'function')
      throw new TypeError(`handler for "${type}" must be a function`);
    let set = byType.get(type);
    if (!set) {
      set = new Set();
      byType.set(type, set);
    }
    set.add(handler);
    dispatchLists.delete(type);
    return () => off(type, handler);
  }
  function off(type: string, handler: AnyHandler): void {
    if (byType.get(type)?.delete(handler)) dispatchLists.delete(type);
  }
  function addTo<H>(set: Set<H>, handler: H, what: string): Unsubscribe {
    if (typeof handler !== 'function') throw new TypeError(`${what} handler must be a function`);
    set.add(handler);
    return () => set.delete(handler);
  }

  return {
    on: on as TraxWebhookRouter['on'],
    off: off as TraxWebhookRouter['off'],
    onStreamLive: (handler) => on('stream.live', handler),
    onStreamOffline: (handler) => on('stream.offline', handler),
    onSourceStatusChanged: (handler) => on('source.status_changed', handler),
    onDestinationStatusChanged: (handler) => on('destination.status_changed', handler),
    onChatMessage: (handler) => on('chat.message', handler),
    onAny: (handler) => {
      const unsubscribe = addTo(any, handler, 'onAny');
      anyChanged();
      return () => {
        unsubscribe();
        anyChanged();
      };
    },
    offAny: (handler) => {
      if (any.delete(handler)) anyChanged();
    },
    onError: (handler) => addTo(errorHandlers, handler, 'onError'),
    offError: (handler) => void errorHandlers.delete(handler),

    handles(type) {
      return any.size > 0 || (byType.get(type)?.size ?? 0) > 0;
    },

    dispatch(event, ctx, watch) {
      const handlers = handlersOf(event.type);
      if (handlers.length === 0) return undefined;
      // The common case, one handler: called directly, no extra promise around it.
      if (handlers.length === 1 && watch === undefined) return handlers[0]!(event, ctx);
      if (watch !== undefined) {
        if (handlers.length === 1) return callTimed(handlers[0]!, event, ctx, watch);
        const timed = handlers.map(
          (handler): AnyHandler =>
            (e, c) =>
              callTimed(handler, e, c, watch),
        );
        return dispatchAll(timed, event, ctx);
      }
      return dispatchAll(handlers, event, ctx);
    },

    async emitError(error, onHandlerError) {
      for (const handler of [...errorHandlers]) {
        try {
          await handler(error);
        } catch (handlerError) {
          onHandlerError(handlerError);
        }
      }
    },
  };
}

async function dispatchAll(
  handlers: readonly AnyHandler[],
  event: AnyTraxEvent,
  ctx: DeliveryContext,
) {
  const results = await Promise.allSettled(handlers.map(async (handler) => handler(event, ctx)));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} handlers failed`);
}

/**
 * Calls one handler of an observed delivery and tells `watch` how long it took and how it
 * ended. Like the plain call it returns what the handler returned (a sync handler stays sync:
 * no promise is made for it) and throws what it threw.
 */
function callTimed(
  handler: AnyHandler,
  event: AnyTraxEvent,
  ctx: DeliveryContext,
  watch: HandlerWatch,
): unknown {
  const started = performance.now();
  let result: unknown;
  try {
    result = handler(event, ctx);
  } catch (error) {
    watch(handler, performance.now() - started, error);
    throw error;
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') {
    watch(handler, performance.now() - started, undefined);
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      watch(handler, performance.now() - started, undefined);
      return value;
    },
    (error: unknown) => {
      watch(handler, performance.now() - started, error);
      throw error;
    },
  );
}
