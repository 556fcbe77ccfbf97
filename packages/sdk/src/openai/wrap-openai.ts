import { chatRecorder } from './chat.js';
import { providerFromBaseURL } from './provider.js';
import { recordCall, type CallRecorder, type RecordingSettings } from './recording.js';
import { responsesRecorder } from './responses.js';

export interface OpenAIWrapOptions {
  appId?: string;
  userId?: string;
  sessionId?: string;
  traceId?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  /** Default: from the client's baseURL ('openai' for api.openai.com and unknown hosts). */
  provider?: string;
  /**
   * Adds `stream_options: { include_usage: true }` to streamed chat completions that set no
   * stream_options, so that the log gets token counts. The stream then ends with one extra chunk
   * whose `choices` is empty. Default true.
   */
  includeStreamUsage?: boolean;
  /** Records the prompt and the response text. Default true. */
  captureContent?: boolean;
}

/** Which methods are recorded, by path from the client. */
const RECORDED: Record<string, Record<string, CallRecorder<never>>> = {
  'chat.completions': { create: chatRecorder as CallRecorder<never> },
  responses: { create: responsesRecorder as CallRecorder<never> },
};

/**
 * A Proxy of the client: `chat.completions.create` and `responses.create` are recorded, everything
 * else is the client's own. The client itself is not modified, so an unwrapped use stays unlogged.
 */
export function wrapOpenAIClient<C extends object>(client: C, options: OpenAIWrapOptions, log: RecordingSettings['log']): C {
  const { provider, includeStreamUsage, captureContent, ...fields } = options;
  const settings: RecordingSettings = {
    base: { ...fields, provider: provider ?? providerFromBaseURL((client as { baseURL?: unknown }).baseURL) },
    captureContent: captureContent ?? true,
    includeStreamUsage: includeStreamUsage ?? true,
    log,
  };
  return proxy(client, '', settings, new WeakMap());
}

function proxy<T extends object>(target: T, path: string, settings: RecordingSettings, children: WeakMap<object, object>): T {
  return new Proxy(target, {
    get(object, property) {
      // Getters run on the real object too: its private fields are not on the Proxy.
      const value = Reflect.get(object, property);
      if (typeof property !== 'string') return value;
      const childPath = path ? `${path}.${property}` : property;
      const recorder = RECORDED[path]?.[property];
      if (recorder && typeof value === 'function') {
        return (params: never, ...rest: unknown[]) => recordCall(recorder, settings, params, (sent) => value.call(object, sent, ...rest));
      }
      if (
        value !== null &&
        typeof value === 'object' &&
        Object.keys(RECORDED).some((recorded) => recorded === childPath || recorded.startsWith(`${childPath}.`))
      ) {
        // One Proxy per object, so that client.chat === client.chat, as on the real client.
        let child = children.get(value);
        if (!child) children.set(value, (child = proxy(value, childPath, settings, children)));
        return child;
      }
      // withOptions() makes a new client with other request options: it is recorded the same way.
      if (path === '' && property === 'withOptions' && typeof value === 'function') {
        return (...args: unknown[]) => proxy(value.apply(object, args) as object, '', settings, new WeakMap());
      }
      // Methods of the client run on the client itself: its private fields are not on the Proxy.
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
