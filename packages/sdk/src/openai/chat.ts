import type { LogEntry } from '../types.js';
import type { CallRecorder } from './recording.js';
import type { StreamAccumulator } from './stream-accumulator.js';

/** The parts of the openai package's chat types that a log needs (structural, so no import of openai). */
interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

interface ChatMessage {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: unknown[] | null;
}

interface ChatCompletion {
  id?: string;
  model?: string;
  choices?: { message?: ChatMessage; finish_reason?: string | null }[];
  usage?: ChatUsage | null;
  _request_id?: string | null;
}

interface ChatCompletionChunk {
  id?: string;
  model?: string;
  choices?: {
    index?: number;
    delta?: { content?: string | null; refusal?: string | null; tool_calls?: unknown[] | null };
    finish_reason?: string | null;
  }[];
  usage?: ChatUsage | null;
}

export interface ChatParams {
  model?: string;
  messages?: unknown;
  stream?: boolean | null;
  stream_options?: unknown;
}

export const chatRecorder: CallRecorder<ChatParams> = {
  operation: 'chat',

  request(params, { includeStreamUsage }) {
    // Streamed chat completions report usage only when asked; the caller's own stream_options win.
    if (params?.stream === true && includeStreamUsage && params.stream_options === undefined) {
      return { ...params, stream_options: { include_usage: true } };
    }
    return params;
  },

  prompt: (params) => (params?.messages === undefined ? undefined : JSON.stringify(params.messages)),

  fromResult(value) {
    const completion = value as ChatCompletion;
    const choice = completion.choices?.[0];
    const { reasoningTokens, ...tokens } = usageFields(completion.usage);
    return {
      model: completion.model,
      response: messageText(choice?.message),
      ...tokens,
      metadata: {
        finishReason: choice?.finish_reason ?? undefined,
        reasoningTokens,
        completionId: completion.id,
        requestId: completion._request_id ?? undefined,
      },
    };
  },

  streamAccumulator: () => new ChatStreamAccumulator(),
};

class ChatStreamAccumulator implements StreamAccumulator {
  private text = '';
  private model: string | undefined;
  private id: string | undefined;
  private finishReason: string | undefined;
  private usage: ChatUsage | null | undefined;

  /** True when the chunk carries the first generated content (text, refusal or a tool call). */
  add(item: unknown): boolean {
    const chunk = item as ChatCompletionChunk;
    this.model = chunk.model ?? this.model;
    this.id = chunk.id ?? this.id;
    if (chunk.usage) this.usage = chunk.usage;
    let content = false;
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta ?? {};
      if (delta.content) this.text += delta.content;
      content ||= Boolean(delta.content || delta.refusal || delta.tool_calls?.length);
      this.finishReason = choice.finish_reason ?? this.finishReason;
    }
    return content;
  }

  result(): Partial<LogEntry> {
    const { reasoningTokens, ...tokens } = usageFields(this.usage);
    return {
      model: this.model,
      response: this.text || undefined,
      ...tokens,
      metadata: { finishReason: this.finishReason, reasoningTokens, completionId: this.id, usageReported: Boolean(this.usage) },
    };
  }
}

function messageText(message: ChatMessage | undefined): string | undefined {
  if (!message) return undefined;
  if (message.content) return message.content;
  if (message.refusal) return message.refusal;
  return message.tool_calls?.length ? JSON.stringify(message.tool_calls) : undefined;
}

function usageFields(usage: ChatUsage | null | undefined): Partial<LogEntry> & { reasoningTokens?: number } {
  if (!usage) return {};
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? undefined,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? undefined,
  };
}
