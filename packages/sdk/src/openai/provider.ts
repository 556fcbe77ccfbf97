/**
 * OpenAI-compatible APIs served by other providers, by host. Lumen prices a call by provider and
 * model, so a DeepSeek model called through the openai package must be logged as deepseek.
 */
const PROVIDER_HOSTS: [RegExp, string][] = [
  [/(^|\.)openai\.com$/, 'openai'],
  [/\.openai\.azure\.com$/, 'azure'],
  [/(^|\.)services\.ai\.azure\.com$/, 'azure'],
  [/(^|\.)deepseek\.com$/, 'deepseek'],
  [/(^|\.)dashscope(-intl)?\.aliyuncs\.com$/, 'qwen'],
  [/(^|\.)anthropic\.com$/, 'anthropic'],
  [/(^|\.)generativelanguage\.googleapis\.com$/, 'google'],
  [/(^|\.)mistral\.ai$/, 'mistral'],
  [/(^|\.)x\.ai$/, 'xai'],
  [/(^|\.)groq\.com$/, 'groq'],
  [/(^|\.)together\.(xyz|ai)$/, 'together'],
  [/(^|\.)fireworks\.ai$/, 'fireworks'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)perplexity\.ai$/, 'perplexity'],
  [/(^|\.)moonshot\.(cn|ai)$/, 'moonshot'],
  [/(^|\.)bigmodel\.cn$/, 'zhipu'],
  [/(^|\.)volces\.com$/, 'volcengine'],
];

/** The provider for a client's baseURL; 'openai' for api.openai.com and for hosts not known here. */
export function providerFromBaseURL(baseURL: unknown): string {
  if (typeof baseURL !== 'string') return 'openai';
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return 'openai';
  }
  return PROVIDER_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? 'openai';
}
