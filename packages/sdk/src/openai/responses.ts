import type { LogEntry } from '../types.js';
import type { CallRecorder } from './recording.js';
import type { StreamAccumulator } from './stream-accumulator.js';

/** The parts of the openai package's Responses API types that a log needs. */
interface ResponseUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens_details?: { reasoning_tokens?: number } | null;
}

interface ResponseObject {
  id?: string;
  model?: string;
  status?: string;
  error?: { code?: string; message?: string } | null;
  incomplete_details?: { reason?: string } | null;
  output?: { type?: string; content?: { type?: string; text?: string; refusal?: string }[] }[];
  output_text?: string;
  usage?: ResponseUsage | null;
  _request_id?: string | null;
}

interface ResponseStreamEvent {
  type?: string;
  delta?: string;
  response?: ResponseObject;
  code?: string | null;
  message?: string;
}

export interface ResponsesParams {
  model?: string;
  input?: unknown;
  instructions?: string | null;
  stream?: boolean | null;
}

/** Events whose delta is generated output: the first of them marks the time to first token. */
const CONTENT_DELTAS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
  'response.reasoning_summary_text.delta',
]);
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export const responsesRecorder: CallRecorder<ResponsesParams> = {
  operation: 'responses',

  request: (params) => params,

  prompt(params) {
    if (!params) return undefined;
    const input = params.input === undefined ? undefined : typeof params.input === 'string' ? params.input : JSON.stringify(params.input);
    const parts = [params.instructions, input].filter((part): part is string => typeof part === 'string' && part !== '');
    return parts.length > 0 ? parts.join('\n') : undefined;
  },

  fromResult: (value) => fromResponse(value as ResponseObject),

  streamAccumulator: () => new ResponsesStreamAccumulator(),
};

function fromResponse(response: ResponseObject, streamedText?: string): Partial<LogEntry> {
  const failed = response.status === 'failed' || Boolean(response.error);
  return {
    model: response.model,
    response: outputText(response) ?? (streamedText || undefined),
    inputTokens: response.usage?.input_tokens,
    outputTokens: response.usage?.output_tokens,
    cachedInputTokens: response.usage?.input_tokens_details?.cached_tokens ?? undefined,
    ...(failed
      ? {
          status: 'ERROR' as const,
          errorType: response.error?.code ?? 'response_failed',
          errorMessage: response.error?.message ?? `response ${response.status}`,
        }
      : {}),
    metadata: {
      responseId: response.id,
      responseStatus: response.status,
      incompleteReason: response.incomplete_details?.reason ?? undefined,
      reasoningTokens: response.usage?.output_tokens_details?.reasoning_tokens ?? undefined,
      requestId: response._request_id ?? undefined,
    },
  };
}

/** `output_text` is added by the openai package; other clients get it from the output items. */
function outputText(response: ResponseObject): string | undefined {
  if (typeof response.output_text === 'string' && response.output_text !== '') return response.output_text;
  const texts = (response.output ?? [])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .map((part) => (part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : undefined))
    .filter((text): text is string => typeof text === 'string');
  return texts.length > 0 ? texts.join('') : undefined;
}

class ResponsesStreamAccumulator implements StreamAccumulator {
  private text = '';
  private final: ResponseObject | undefined;
  private error: { code?: string | null; message?: string } | undefined;

  add(item: unknown): boolean {
    const event = item as ResponseStreamEvent;
    if (event.type === 'response.output_text.delta' && event.delta) this.text += event.delta;
    if (event.type && FINAL_EVENTS.has(event.type) && event.response) this.final = event.response;
    if (event.type === 'error') this.error = { code: event.code, message: event.message };
    return Boolean(event.type && CONTENT_DELTAS.has(event.type) && event.delta);
  }

  result(): Partial<LogEntry> {
    const fields = this.final ? fromResponse(this.final, this.text) : { response: this.text || undefined };
    if (!this.error) return fields;
    return {
      ...fields,
      status: 'ERROR',
      errorType: this.error.code ?? 'stream_error',
      errorMessage: this.error.message ?? 'error event in the stream',
    };
  }
}
