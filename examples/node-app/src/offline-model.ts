/**
 * Stands in for a model when no OPENAI_API_KEY is set, so that the example runs anywhere: it answers
 * after a short pause and reports token counts the way an API would.
 */
export interface OfflineAnswer {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
}

export async function askOfflineModel(question: string): Promise<OfflineAnswer> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  if (/refund/i.test(question)) throw new Error('The offline model does not handle refunds');
  const text = `You asked: "${question}". A person from support will follow up shortly.`;
  return { text, usage: { inputTokens: words(question) + 12, outputTokens: words(text) } };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
