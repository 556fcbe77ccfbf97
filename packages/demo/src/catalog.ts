/**
 * What the demo's imaginary platform runs: the models it calls (with their typical speed and
 * failure modes) and the applications that call them. Numbers are typical of public APIs in 2025.
 */

export interface ErrorKind {
  type: string;
  message: string;
  /** Median latency of a failed call: a rate limit fails fast, a timeout waits for the deadline. */
  latencyMs: number;
}

export interface ModelProfile {
  provider: string;
  model: string;
  /** Median time to first token. */
  ttftMs: number;
  /** Generation time per output token. */
  msPerOutputToken: number;
  /** Share of calls that fail in normal times. */
  errorRate: number;
  errors: readonly ErrorKind[];
}

const OPENAI_ERRORS: ErrorKind[] = [
  {
    type: 'rate_limit_exceeded',
    message: 'Rate limit reached on tokens per min (TPM): Limit 2000000, Used 1998312, Requested 4120.',
    latencyMs: 140,
  },
  { type: 'timeout', message: 'Request timed out after 60000 ms.', latencyMs: 60_000 },
  { type: 'server_error', message: 'The server had an error while processing your request. Sorry about that!', latencyMs: 2_400 },
  {
    type: 'context_length_exceeded',
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131587 tokens.",
    latencyMs: 90,
  },
];
const ANTHROPIC_ERRORS: ErrorKind[] = [
  { type: 'overloaded_error', message: 'Overloaded', latencyMs: 900 },
  { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.', latencyMs: 120 },
  { type: 'api_error', message: 'Internal server error', latencyMs: 3_000 },
];
const DEEPSEEK_ERRORS: ErrorKind[] = [
  { type: 'service_unavailable', message: 'Server is busy, please try again later.', latencyMs: 1_500 },
  { type: 'timeout', message: 'Request timed out after 120000 ms.', latencyMs: 120_000 },
  { type: 'insufficient_balance', message: 'Insufficient Balance', latencyMs: 80 },
];
const QWEN_ERRORS: ErrorKind[] = [
  { type: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.', latencyMs: 110 },
  { type: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.', latencyMs: 450 },
  { type: 'InternalError', message: 'An internal error has occured, please try again later or contact service support.', latencyMs: 2_000 },
];

export const MODELS = {
  'gpt-4o': { provider: 'openai', model: 'gpt-4o', ttftMs: 480, msPerOutputToken: 14, errorRate: 0.012, errors: OPENAI_ERRORS },
  'gpt-4o-mini': { provider: 'openai', model: 'gpt-4o-mini', ttftMs: 320, msPerOutputToken: 8, errorRate: 0.008, errors: OPENAI_ERRORS },
  'gpt-4.1': { provider: 'openai', model: 'gpt-4.1', ttftMs: 560, msPerOutputToken: 13, errorRate: 0.01, errors: OPENAI_ERRORS },
  'gpt-4.1-mini': { provider: 'openai', model: 'gpt-4.1-mini', ttftMs: 350, msPerOutputToken: 7, errorRate: 0.008, errors: OPENAI_ERRORS },
  'text-embedding-3-small': {
    provider: 'openai',
    model: 'text-embedding-3-small',
    ttftMs: 110,
    msPerOutputToken: 0,
    errorRate: 0.003,
    errors: OPENAI_ERRORS,
  },
  'claude-sonnet-4-5': {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    ttftMs: 950,
    msPerOutputToken: 16,
    errorRate: 0.018,
    errors: ANTHROPIC_ERRORS,
  },
  'claude-haiku-4-5': {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    ttftMs: 420,
    msPerOutputToken: 6,
    errorRate: 0.01,
    errors: ANTHROPIC_ERRORS,
  },
  'deepseek-chat': {
    provider: 'deepseek',
    model: 'deepseek-chat',
    ttftMs: 780,
    msPerOutputToken: 22,
    errorRate: 0.025,
    errors: DEEPSEEK_ERRORS,
  },
  'deepseek-reasoner': {
    provider: 'deepseek',
    model: 'deepseek-reasoner',
    ttftMs: 6_500,
    msPerOutputToken: 24,
    errorRate: 0.03,
    errors: DEEPSEEK_ERRORS,
  },
  'qwen-max': { provider: 'qwen', model: 'qwen-max', ttftMs: 700, msPerOutputToken: 18, errorRate: 0.015, errors: QWEN_ERRORS },
  'qwen-plus': { provider: 'qwen', model: 'qwen-plus', ttftMs: 450, msPerOutputToken: 11, errorRate: 0.012, errors: QWEN_ERRORS },
  'qwen-turbo': { provider: 'qwen', model: 'qwen-turbo', ttftMs: 260, msPerOutputToken: 6, errorRate: 0.01, errors: QWEN_ERRORS },
} as const satisfies Record<string, ModelProfile>;

export type ModelKey = keyof typeof MODELS;

/** One model call of a turn; a turn (one trace) may call several models in sequence. */
export interface Step {
  operation: 'chat' | 'completion' | 'embedding';
  models: readonly (readonly [ModelKey, number])[];
  inputTokens: { median: number; sigma: number };
  /** Median output tokens; 0 for embeddings. */
  outputTokens: { median: number; sigma: number };
  /** Share of the input served from the provider's prompt cache after a session's first turn. */
  cachedShare: number;
  stream: boolean;
}

export interface AppProfile {
  appId: string;
  /** Share of all sessions. */
  weight: number;
  users: { prefix: string; count: number };
  turns: readonly [number, number];
  /** Median seconds between two turns of a session. */
  turnGapSeconds: number;
  steps: readonly Step[];
  prompts: PromptTopic;
  region: string;
  sdk: string;
  tags: readonly string[];
}

export type PromptTopic = 'support' | 'code' | 'summary' | 'zhSupport' | 'sql';

const mtok = (median: number, sigma = 0.5) => ({ median, sigma });

export const APPS: readonly AppProfile[] = [
  {
    appId: 'support-chat',
    weight: 34,
    users: { prefix: 'cust_', count: 400 },
    turns: [2, 7],
    turnGapSeconds: 45,
    steps: [
      {
        operation: 'embedding',
        models: [['text-embedding-3-small', 1]],
        inputTokens: mtok(40, 0.4),
        outputTokens: mtok(0),
        cachedShare: 0,
        stream: false,
      },
      {
        operation: 'chat',
        models: [
          ['gpt-4o-mini', 7],
          ['gpt-4o', 2],
          ['claude-haiku-4-5', 1],
        ],
        inputTokens: mtok(1_800),
        outputTokens: mtok(160, 0.6),
        cachedShare: 0.55,
        stream: true,
      },
    ],
    prompts: 'support',
    region: 'us-east-1',
    sdk: 'openai-python/1.54.3',
    tags: ['production', 'rag'],
  },
  {
    appId: 'zh-customer-service',
    weight: 26,
    users: { prefix: 'u', count: 600 },
    turns: [1, 6],
    turnGapSeconds: 35,
    steps: [
      {
        operation: 'chat',
        models: [
          ['qwen-plus', 5],
          ['qwen-max', 1],
          ['qwen-turbo', 3],
          ['deepseek-chat', 2],
        ],
        inputTokens: mtok(1_200),
        outputTokens: mtok(220, 0.6),
        cachedShare: 0.3,
        stream: true,
      },
    ],
    prompts: 'zhSupport',
    region: 'cn-hangzhou',
    sdk: 'spring-ai/1.0.0',
    tags: ['production', 'zh'],
  },
  {
    appId: 'code-assistant',
    weight: 16,
    users: { prefix: 'dev-', count: 45 },
    turns: [3, 12],
    turnGapSeconds: 90,
    steps: [
      {
        operation: 'chat',
        models: [
          ['claude-sonnet-4-5', 6],
          ['gpt-4.1', 3],
          ['deepseek-chat', 1],
        ],
        inputTokens: mtok(9_000, 0.7),
        outputTokens: mtok(650, 0.7),
        cachedShare: 0.8,
        stream: true,
      },
    ],
    prompts: 'code',
    region: 'eu-west-1',
    sdk: 'anthropic-typescript/0.39.0',
    tags: ['internal', 'ide'],
  },
  {
    appId: 'doc-summarizer',
    weight: 14,
    users: { prefix: 'svc-batch-', count: 3 },
    turns: [1, 1],
    turnGapSeconds: 1,
    steps: [
      {
        operation: 'completion',
        models: [
          ['gpt-4o-mini', 6],
          ['deepseek-chat', 3],
          ['qwen-turbo', 1],
        ],
        inputTokens: mtok(6_500, 0.8),
        outputTokens: mtok(380, 0.4),
        cachedShare: 0,
        stream: false,
      },
    ],
    prompts: 'summary',
    region: 'us-east-1',
    sdk: 'langchain-python/0.3.7',
    tags: ['batch'],
  },
  {
    appId: 'sql-copilot',
    weight: 10,
    users: { prefix: 'analyst-', count: 30 },
    turns: [1, 4],
    turnGapSeconds: 120,
    steps: [
      {
        operation: 'chat',
        models: [
          ['deepseek-reasoner', 3],
          ['gpt-4.1', 1],
        ],
        inputTokens: mtok(3_200, 0.5),
        outputTokens: mtok(900, 0.6),
        cachedShare: 0.4,
        stream: true,
      },
      {
        operation: 'chat',
        models: [['gpt-4.1-mini', 1]],
        inputTokens: mtok(1_400, 0.4),
        outputTokens: mtok(60, 0.5),
        cachedShare: 0,
        stream: false,
      },
    ],
    prompts: 'sql',
    region: 'ap-southeast-1',
    sdk: 'openai-java/0.8.1',
    tags: ['production', 'analytics'],
  },
];

/**
 * Prices the demo puts in the cost table, in USD per million tokens: Qwen (one entry as a pattern)
 * and OpenAI's embedding model, which the bundled public price data does not cover.
 */
export const DEMO_PRICES = [
  { provider: 'openai', model: 'text-embedding-3-small', inputPricePerMillion: '0.02', outputPricePerMillion: '0' },
  { provider: 'qwen', model: 'qwen-max', inputPricePerMillion: '1.6', outputPricePerMillion: '6.4', cachedInputPricePerMillion: '0.64' },
  { provider: 'qwen', model: 'qwen-plus', inputPricePerMillion: '0.4', outputPricePerMillion: '1.2', cachedInputPricePerMillion: '0.16' },
  {
    provider: 'qwen',
    modelPattern: 'qwen-turbo(-latest|-\\d{4}-\\d{2}-\\d{2})?',
    inputPricePerMillion: '0.05',
    outputPricePerMillion: '0.2',
  },
] as const;
