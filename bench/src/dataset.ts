/**
 * Deterministic, realistic model calls: a few apps and providers, a long tail of models and users,
 * log-normal latencies per model, ~3 % errors, explicit costs. The same rows feed the HTTP ingest (as
 * LogInput JSON) and the COPY baseline and bulk loads (as COPY text lines for app_log).
 */
import type { Filled, LogInput } from '@lumen/contract';
import { mulberry32 } from '@lumen/testkit';

const APPS = ['support-chat', 'search', 'agent', 'summarizer', 'coder', 'translator', 'rag-qa', 'classifier'];
const MODELS: [provider: string, model: string, medianMs: number][] = [
  ['openai', 'gpt-4o', 1400],
  ['openai', 'gpt-4o-mini', 700],
  ['openai', 'o3-mini', 4200],
  ['openai', 'gpt-4.1', 1800],
  ['anthropic', 'claude-sonnet-4', 2200],
  ['anthropic', 'claude-haiku-3.5', 900],
  ['anthropic', 'claude-opus-4', 5200],
  ['qwen', 'qwen-max', 1900],
  ['qwen', 'qwen-plus', 1100],
  ['qwen', 'qwen-turbo', 500],
  ['deepseek', 'deepseek-chat', 2100],
  ['deepseek', 'deepseek-reasoner', 9000],
  ['google', 'gemini-2.0-flash', 600],
  ['google', 'gemini-1.5-pro', 2500],
  ['mistral', 'mistral-large', 1600],
  ['mistral', 'mistral-small', 650],
];
const WORDS =
  'the order shipment refund account password invoice delivery warehouse customer policy answer question model latency token context retrieval summary translate classify'.split(
    ' ',
  );

/** A log as the bench sends it to ingestLogs, typed from the schema: a renamed field breaks the build. */
export type BenchLog = Filled<
  LogInput,
  | 'eventId'
  | 'timestamp'
  | 'appId'
  | 'userId'
  | 'sessionId'
  | 'traceId'
  | 'provider'
  | 'model'
  | 'operation'
  | 'prompt'
  | 'response'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'latencyMs'
  | 'timeToFirstTokenMs'
  | 'metadata'
  | 'tags'
> &
  Partial<Filled<LogInput, 'errorType' | 'errorMessage'>> & { status: 'SUCCESS' | 'ERROR'; cost: string };

/** The bench's seeded source: the same seed gives the same rows in every run. */
export const random = mulberry32;

function text(next: () => number, bytes: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = WORDS[Math.floor(next() * WORDS.length)]!;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

/** One log; `contentBytes` is about the size of prompt + response (ingest uses ~1 KB logs). */
export function benchLog(next: () => number, index: number, prefix: string, timestampMs: number, contentBytes: number): BenchLog {
  const appIndex = Math.min(APPS.length - 1, Math.floor(-Math.log(1 - next()) * 2));
  const [provider, model, median] = MODELS[Math.floor(next() ** 1.6 * MODELS.length)]!;
  // Log-normal latency: the median of the model, sigma 0.6.
  const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const latencyMs = Math.max(20, Math.round(median * Math.exp(0.6 * normal)));
  const error = next() < 0.03;
  const inputTokens = 50 + Math.floor(next() * 3000);
  const outputTokens = error ? 0 : 10 + Math.floor(next() * 700);
  return {
    eventId: `${prefix}-${String(index).padStart(10, '0')}`,
    timestamp: new Date(timestampMs).toISOString(),
    appId: APPS[appIndex]!,
    userId: `user-${Math.floor(next() ** 2 * 5000)}`,
    sessionId: `s-${Math.floor(next() * 1e6)}`,
    traceId: `t-${index}`,
    provider,
    model,
    operation: 'chat',
    prompt: text(next, Math.round(contentBytes * 0.65)),
    response: error ? '' : text(next, Math.round(contentBytes * 0.35)),
    inputTokens,
    outputTokens,
    cachedInputTokens: Math.floor(inputTokens * next() * 0.3),
    latencyMs,
    timeToFirstTokenMs: Math.round(latencyMs * 0.3),
    status: error ? 'ERROR' : 'SUCCESS',
    ...(error ? { errorType: 'RateLimitError', errorMessage: 'rate limit exceeded, retry later' } : {}),
    cost: ((inputTokens * 2.5 + outputTokens * 10) / 1e6).toFixed(10),
    metadata: { region: next() < 0.5 ? 'eu-west-1' : 'us-east-1', tier: 'standard' },
    tags: ['bench'],
  };
}

export const COPY_COLUMNS = [
  'event_id',
  'ts',
  'app_id',
  'user_id',
  'session_id',
  'trace_id',
  'provider',
  'model',
  'operation',
  'prompt',
  'response',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'latency_ms',
  'time_to_first_token_ms',
  'status',
  'error_type',
  'error_message',
  'cost',
  'currency',
  'cost_source',
  'metadata',
  'tags',
];

const escapeCopy = (value: string) => value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** The log as one line of COPY text for app_log (COPY_COLUMNS), priced as the server would (PROVIDED). */
export function copyLine(log: BenchLog): string {
  const nullable = (value: string | undefined) => (value === undefined || value === '' ? '\\N' : escapeCopy(value));
  return (
    [
      log.eventId,
      log.timestamp,
      log.appId,
      log.userId,
      log.sessionId,
      log.traceId,
      log.provider,
      log.model,
      log.operation,
      nullable(log.prompt),
      nullable(log.response),
      log.inputTokens,
      log.outputTokens,
      log.cachedInputTokens,
      log.latencyMs,
      log.timeToFirstTokenMs,
      log.status,
      nullable(log.errorType),
      nullable(log.errorMessage),
      log.cost,
      'USD',
      'PROVIDED',
      escapeCopy(JSON.stringify(log.metadata)),
      `{${log.tags.map((tag) => `"${tag}"`).join(',')}}`,
    ].join('\t') + '\n'
  );
}
