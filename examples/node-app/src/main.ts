/**
 * A support-chat turn recorded in Lumen: one question, one answer (streamed from OpenAI, or from an
 * offline stand-in) as a trace (the turn, and the model call inside it), the user's feedback on it,
 * and the SDK's counters at the end.
 *
 *   pnpm --filter @lumen/example-node-app start "Where is my order?" [--thumbs-down]
 */
import { randomBytes } from 'node:crypto';
import { Lumen } from '@lumen/sdk';
import OpenAI from 'openai';

import { askOfflineModel } from './offline-model.js';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const question = args.find((arg) => !arg.startsWith('--')) ?? 'Where is my order?';
const rating = args.includes('--thumbs-down') ? 'NEGATIVE' : 'POSITIVE';
const userId = 'example-user';
// One OpenTelemetry trace id (16 bytes in hex) for the turn: its spans, the model call and the feedback on it.
const traceId = randomBytes(16).toString('hex');

// LUMEN_API_KEY (an INGEST key) and LUMEN_ENDPOINT come from the environment.
const lumen = new Lumen({
  appId: 'example-support-chat',
  onError: (error) => console.error(`lumen: ${error.kind}: ${error.message}`),
});
process.once('SIGINT', async () => {
  await lumen.shutdown({ timeoutMs: 5_000 });
  process.exit(130);
});

async function answer(): Promise<string> {
  if (process.env.OPENAI_API_KEY) {
    // OPENAI_BASE_URL may point at any OpenAI-compatible API; the provider is read from it.
    const openai = lumen.wrapOpenAI(new OpenAI(), { userId, traceId, tags: ['example'] });
    const stream = await openai.chat.completions.create({
      model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a concise support agent.' },
        { role: 'user', content: question },
      ],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content ?? ''; // the last chunk (usage) has no choices
      text += delta;
      process.stdout.write(delta);
    }
    process.stdout.write('\n');
    return text;
  }
  const reply = await lumen.observe(
    {
      provider: 'example',
      model: 'offline-support-model',
      operation: 'chat',
      userId,
      traceId,
      prompt: question,
      tags: ['example'],
      extract: (result) => ({ response: result.text, inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens }),
    },
    () => askOfflineModel(question),
  );
  console.log(reply.text);
  return reply.text;
}

try {
  // The turn is a span; the model call inside it (wrapped client or observe()) becomes its LLM child.
  await lumen.observe({ name: 'support-turn', kind: 'AGENT', input: question, traceId, userId }, answer);
  const feedback = await lumen.feedback({ traceId, userId, rating, comment: rating === 'NEGATIVE' ? 'Not what I asked' : 'Helpful' });
  console.log(feedback ? `feedback ${feedback.id} stored (${rating})` : 'feedback was not stored');
} catch (error) {
  console.error(`The model call failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  // At most 5 s (the default): with Lumen down the command still ends, and the counters say what was dropped.
  await lumen.shutdown();
  console.log('lumen stats', lumen.stats());
}
