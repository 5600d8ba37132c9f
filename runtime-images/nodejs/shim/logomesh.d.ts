// Type definitions for LogoMesh Node.js plugins (host API 1.0.0, runtime-images/PROTOCOL.md v1).
// Shipped in the runtime image at /opt/logomesh/shim/logomesh.d.ts and copied into every scaffolded
// Node.js plugin. Types only: nothing here runs; plugin code needs no import at run time.
//
//   import type { Plugin, Context, Action } from './logomesh';
//   const plugin: Plugin = { activate(ctx) {}, deactivate(ctx) {}, execute(action, ctx) { return action.payload; } };
//   export = plugin;

/** Any value JSON can carry: what payloads, results, config values, message data and replies are. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object (the manifest's `config`, an audit event). */
export type JsonObject = { [key: string]: Json };

/**
 * One action, as `POST /api/v1/plugins/{id}/actions` sent it.
 * @example
 * execute(action: Action<{ x: number }>) { return { doubled: action.payload.x * 2 }; }
 */
export interface Action<P = Json> {
  /** The action's id (the caller's, else one the host made). */
  id: string;
  /** What to do: the plugin decides which types it serves. */
  type: string;
  /** The caller's payload (`null` when it sent none). */
  payload: P;
}

/**
 * A message between plugins (`ctx.sendMessage`) or an event (`ctx.emit`), as a handler receives it.
 * For an event `type` is the topic.
 * @example
 * ctx.on('greet', (message: Message<{ name: string }>, from) => `hello ${message.data.name} from ${from}`);
 */
export interface Message<D = Json> {
  type: string;
  data: D;
}

/**
 * The `code` of every error a host call can fail with (PROTOCOL.md). A receiver's own handler error
 * code passes through `sendMessage` unchanged, hence `string & {}` at the end.
 */
export type HostErrorCode =
  /** policy refused it: missing permission, over a limit, host budget spent, unknown grant */
  | 'denied'
  /** no such plugin (sendMessage target) */
  | 'not_found'
  /** the target plugin is not ACTIVE */
  | 'not_active'
  /** the target registered no handler for the message type */
  | 'no_handler'
  /** the target did not answer in time */
  | 'timeout'
  /** the message or event is larger than the host lets through */
  | 'too_large'
  /** too many messages, events or audit records a second */
  | 'rate_limited'
  /** the receiver's queue, this plugin's in-flight requests or the host's outbox is full: retry later */
  | 'busy'
  /** malformed arguments */
  | 'bad_request'
  /** the host does not serve this call */
  | 'unsupported'
  /** auditLog: the event is not a JSON object */
  | 'invalid_event'
  /** the request would exceed the IPC frame cap (not sent) */
  | 'frame_too_large'
  /** the host connection closed while the call was pending (the runtime exits) */
  | 'closed'
  /** the receiver's handler threw */
  | 'plugin_error'
  | (string & {});

/**
 * What a host call rejects with: an `Error` carrying the host's `code`.
 * @example
 * try { await ctx.emit('news', 1); } catch (err) { if ((err as HostError).code === 'denied') ctx.log.warn('no events:publish'); }
 */
export interface HostError extends Error {
  code: HostErrorCode;
  message: string;
}

/** `ctx.log(...)` logs at info; `ctx.log.debug/info/warn/error(...)` pick the level. Formats like `console.log`. */
export interface Log {
  /** @example ctx.log('started', { workers: 2 }); */
  (...args: unknown[]): void;
  /** @example ctx.log.debug('cache miss', key); */
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  /** @example ctx.log.warn('slow reply after', ms, 'ms'); */
  warn(...args: unknown[]): void;
  /** @example ctx.log.error('failed', err); */
  error(...args: unknown[]): void;
}

/**
 * A handler for a message type or event topic. A message's reply is the handler's (awaited) return value;
 * an event's return value is ignored. `from` is the sender's plugin id (set by the host, never forged).
 */
export type Handler<D = Json, R = Json | void> = (message: Message<D>, from: string) => R | Promise<R>;

/** A resource loan from `ctx.requestResource`, until `ctx.releaseResource(grantId)`. */
export interface Grant {
  grantId: string;
  pluginId: string;
  type: 'memory' | 'cpu';
  amount: number;
  /** ISO-8601 instant */
  grantedAt: string;
}

/** The answer of `ctx.requestPermission`: `pending` until an operator decides. */
export interface PermissionAnswer {
  permission: string;
  status: 'granted' | 'pending' | 'denied';
  requestId?: string;
  reason?: string;
}

/** An alert the monitor raised (memory, cpu, pids near or past the limit). */
export interface Alert {
  id: string;
  pluginId: string;
  type: string;
  severity: 'warning' | 'critical' | (string & {});
  message: string;
  current: number;
  limit: number;
  timestamp: string;
  acknowledged: boolean;
}

/** The plugin's own usage report (as `GET /api/v1/plugins/{id}/usage`). */
export interface ResourceUsageReport {
  pluginId: string;
  state: string;
  containerId: string | null;
  /** ISO-8601 instant of the sample */
  timestamp: string | null;
  usage: {
    memoryMB: number; memoryBytes: number; memoryLimitBytes: number; memoryFailcnt: number;
    cpuPercent: number; cpuThrottledPeriods: number; pids: number; pidsLimit: number;
    networkBytesIn: number; networkBytesOut: number; diskReadBytes: number; diskWriteBytes: number;
    uptimeMs: number;
    /** where the numbers came from: cgroup-v1, cgroup-v2, docker-api */
    source: string;
  } | null;
  limits: { maxMemoryMB: number; maxCpuPercent: number; maxExecutionTimeMs: number; pidsLimit: number };
  utilizationPercent: { memory: number; cpu: number; pids: number } | null;
  alerts: Alert[];
  grants: Grant[];
}

/**
 * What plugin code sees as `ctx`. Every call that reaches the host returns a promise that rejects
 * with a {@link HostError}; any call may also fail with `busy` (too many requests in flight) or
 * `frame_too_large`.
 */
export interface Context<C extends JsonObject = JsonObject> {
  /** This plugin's id (the manifest's `id`). */
  readonly pluginId: string;
  /**
   * The manifest's `config` object.
   * @example const greeting = String(ctx.config.greeting ?? 'hello');
   */
  readonly config: C;
  /**
   * The plugin's secrets, read-only, by name (set by the operator, never in the manifest). New values
   * arrive with a `config` event (see `on`).
   * @example const key = ctx.secrets.API_KEY;
   */
  readonly secrets: Readonly<Record<string, string>>;
  /** A line in the host's log, at most 32 Ki characters (the host lets ~50 lines a second through). */
  readonly log: Log;
  /**
   * Sends a message to another plugin's handler for `message.type`; resolves with its reply.
   * Needs `messaging:<target>`. Errors: `not_found`, `not_active`, `no_handler`, `denied`, `timeout`,
   * `too_large`, `rate_limited`, `busy`, `bad_request`, or the receiver's own code.
   * @example const reply = await ctx.sendMessage('weather', { type: 'forecast', data: { city: 'Oslo' } });
   */
  sendMessage<R = Json>(target: string, message: Message): Promise<R>;
  /**
   * Publishes an event to every plugin that subscribed to the topic (`ctx.on(topic, ...)`).
   * Needs `events:publish:<topic>`. Errors: `denied`, `rate_limited`, `bad_request`.
   * @example const { delivered } = await ctx.emit('orders.created', { id: 7 });
   */
  emit(topic: string, data?: Json): Promise<{ delivered: number }>;
  /**
   * Registers a handler for a message type or an event topic (several per name: a message is answered
   * by the first, an event calls all). Receiving events needs `events:subscribe:<topic>`. Returns `ctx`.
   * The name `config` is called when an operator changes the plugin's config or secrets; `ctx.config`
   * and `ctx.secrets` hold the new values by then.
   * @example ctx.on('ping', () => 'pong');
   * @example ctx.on('config', (m) => { settings = m.data; });
   */
  on<D = Json>(typeOrTopic: string, handler: Handler<D>): this;
  /**
   * Removes the handler given, or every handler of the name. Returns `ctx`.
   * @example ctx.off('ping');
   */
  off(typeOrTopic: string, handler?: Handler<any, any>): this;
  /**
   * Borrows more memory (whole MiB) or CPU (percent of one core) above the manifest's limits.
   * Needs `resources:grant`. Errors: `denied` (no permission, over `burstMemoryMB`/`burstCpuPercent`,
   * host budget spent).
   * @example const grant = await ctx.requestResource('memory', 64);
   */
  requestResource(type: 'memory' | 'cpu', amount: number): Promise<Grant>;
  /**
   * Gives a grant back. Errors: `denied` (unknown grant, or the container still uses more than the lower limit).
   * @example await ctx.releaseResource(grant.grantId);
   */
  releaseResource(grantId: string): Promise<null>;
  /**
   * This plugin's measured use against its limits.
   * @example const { usage } = await ctx.getResourceUsage(); ctx.log(usage?.memoryMB, 'MB');
   */
  getResourceUsage(): Promise<ResourceUsageReport>;
  /**
   * Asks for a permission at run time: `granted`, `denied`, or `pending` until an operator decides.
   * @example const { status } = await ctx.requestPermission('events:publish:orders.*');
   * @example await ctx.requestPermission('network', 'api.example.com:443'); // one host pattern of the egress allow-list
   */
  requestPermission(permission: string, host?: string): Promise<PermissionAnswer>;
  /**
   * Writes a record of the plugin's own to the audit trail (a JSON object, at most 8 KiB).
   * Errors: `invalid_event`, `too_large`, `rate_limited`.
   * @example await ctx.auditLog({ action: 'refund', orderId: 7 });
   */
  auditLog(event: JsonObject): Promise<null>;
}

/**
 * The exports of a plugin's `main` (CommonJS `module.exports`, or an ES module / `default` export).
 * Each function may be async; a throw fails the call (`plugin_error` with the error's message).
 * @example
 * const plugin: Plugin = {
 *   activate(ctx) { ctx.on('ping', () => 'pong'); },
 *   deactivate() {},
 *   async execute(action, ctx) {
 *     if (action.type === 'echo') return action.payload;
 *     throw new Error(`unknown action type '${action.type}'`);
 *   },
 * };
 * export = plugin;
 */
export interface Plugin<C extends JsonObject = JsonObject> {
  /** Optional: once, before `activate`, with the manifest's `config`. */
  initialize?(config: C, ctx: Context<C>): void | Promise<void>;
  /** The plugin starts (register handlers here). */
  activate(ctx: Context<C>): void | Promise<void>;
  /** An action; the return value (awaited) is its result: any JSON, `undefined` becomes `null`. */
  execute(action: Action, ctx: Context<C>): Json | void | Promise<Json | void>;
  /** The plugin stops. */
  deactivate(ctx: Context<C>): void | Promise<void>;
  /** Optional: before uninstall. */
  dispose?(ctx: Context<C>): void | Promise<void>;
}
