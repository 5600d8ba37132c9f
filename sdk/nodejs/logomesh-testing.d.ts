// Types of the LogoMesh test harness (logomesh-testing.js): a plugin run in-process against a fake ctx.
import type { Context, Handler, HostError, HostErrorCode, Json, JsonObject, Message, Plugin, ResourceUsageReport } from './logomesh';

/** A scripted reply: a value, or a function of the message (it may throw `hostError(code, message)`). */
export type Reply = Json | ((message: Message, target: string) => Json | Promise<Json>);

export interface HarnessOptions<C extends JsonObject = JsonObject> {
  /** ctx.pluginId (default 'test-plugin') */
  pluginId?: string;
  /** ctx.config (default {}) */
  config?: C;
  /** ctx.secrets (default {}) */
  secrets?: Record<string, string>;
  /** what the plugin holds: 'resources:grant', 'events:publish:<topic>' ('*' matches any run) */
  permissions?: string[];
  /** sendMessage answers: replies[target][messageType] */
  replies?: Record<string, Record<string, Reply>>;
  /** requestPermission answers by permission (default 'pending') */
  permissionAnswers?: Record<string, 'granted' | 'pending' | 'denied'>;
  /** what getResourceUsage answers (default: a report with usage null) */
  usage?: ResourceUsageReport;
}

export interface LogLine { level: 'debug' | 'info' | 'warn' | 'error'; message: string }
export interface HostCall { method: string; params: JsonObject }

/**
 * Runs a plugin in this process against a fake ctx that records what it does.
 * @example
 * const h = new Harness(plugin, { replies: { weather: { forecast: { sun: true } } } });
 * await h.start();
 * assert.deepStrictEqual(await h.execute('echo', { x: 1 }), { x: 1 });
 */
export declare class Harness<C extends JsonObject = JsonObject> {
  constructor(plugin: Plugin<C> | { default: Plugin<C> }, options?: HarnessOptions<C>);
  /** the fake ctx the plugin gets */
  readonly ctx: Context<C>;
  /** every ctx.log line */
  readonly logs: LogLine[];
  /** every ctx.sendMessage */
  readonly sent: { target: string; message: Message }[];
  /** every other host call (emit, requestResource, releaseResource, requestPermission, auditLog, getResourceUsage) */
  readonly calls: HostCall[];
  /** handlers registered with ctx.on, by name */
  readonly handlers: Map<string, Handler<any, any>[]>;
  /** the permissions the fake host considers held (requestPermission answered 'granted' adds to it) */
  permissions: string[];
  replies: Record<string, Record<string, Reply>>;
  permissionAnswers: Record<string, 'granted' | 'pending' | 'denied'>;
  initialize(): Promise<void>;
  activate(): Promise<void>;
  /** initialize (if defined), then activate */
  start(): Promise<void>;
  /** runs an action; resolves with its result through JSON (undefined becomes null) */
  execute<R = Json>(type: string, payload?: Json, id?: string): Promise<R>;
  /** a message from another plugin to this one's handler; resolves with the reply */
  message<R = Json>(type: string, data?: Json, from?: string): Promise<R>;
  /** an event to every handler of the topic */
  event(topic: string, data?: Json, from?: string): Promise<void>;
  /** the operator changed config (and secrets): ctx.config/ctx.secrets change, `config` handlers run */
  setConfig(config: C, secrets?: Record<string, string>): Promise<void>;
  deactivate(): Promise<void>;
  dispose(): Promise<void>;
  /** the params of every call of one method */
  callsOf(method: string): JsonObject[];
}

/** An Error with a host error code, as host calls reject with. */
export declare function hostError(code: HostErrorCode, message: string): HostError;
