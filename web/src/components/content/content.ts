/**
 * Reads a stored prompt, response or span payload: a chat (a list of {role, content} messages,
 * an OpenAI request with `messages` or a response with `choices`), other JSON, or plain text.
 * Nothing here produces HTML: the views render the result as text nodes.
 */

export interface ToolCall {
  id: string | null;
  name: string;
  /** The arguments as the model wrote them (usually JSON text). */
  arguments: string;
}

export interface ChatMessage {
  role: string;
  name: string | null;
  /** The message's text, parts joined; null when it has none (a bare tool call). */
  text: string | null;
  toolCalls: ToolCall[];
  /** For a tool result: the call it answers. */
  toolCallId: string | null;
}

export type Content = { kind: 'chat'; messages: ChatMessage[] } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** Parses JSON text when it looks like an object or an array; undefined otherwise. */
export function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function partText(part: unknown): { text: string | null; toolCall?: ToolCall; toolCallId?: string } {
  if (typeof part === 'string') return { text: part };
  if (!isObject(part)) return { text: asText(part) };
  if (typeof part.text === 'string') return { text: part.text };
  if (part.type === 'tool_use' && typeof part.name === 'string') {
    return {
      text: null,
      toolCall: { id: typeof part.id === 'string' ? part.id : null, name: part.name, arguments: asText(part.input ?? {}) },
    };
  }
  if (part.type === 'tool_result') {
    return { text: contentText(part.content), toolCallId: typeof part.tool_use_id === 'string' ? part.tool_use_id : undefined };
  }
  if (part.type === 'image_url' || part.type === 'image') return { text: '[image]' };
  return { text: asText(part) };
}

function contentText(content: unknown): string | null {
  if (content == null) return null;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const texts = content.map((part) => partText(part).text).filter((text): text is string => text != null);
    return texts.length ? texts.join('\n\n') : null;
  }
  return asText(content);
}

function toMessage(raw: Json): ChatMessage {
  const toolCalls: ToolCall[] = [];
  let toolCallId = typeof raw.tool_call_id === 'string' ? raw.tool_call_id : null;
  const texts: string[] = [];
  if (Array.isArray(raw.content)) {
    for (const part of raw.content) {
      const read = partText(part);
      if (read.text != null) texts.push(read.text);
      if (read.toolCall) toolCalls.push(read.toolCall);
      if (read.toolCallId) toolCallId = read.toolCallId;
    }
  } else {
    const text = contentText(raw.content);
    if (text != null) texts.push(text);
  }
  if (Array.isArray(raw.tool_calls)) {
    for (const call of raw.tool_calls) {
      if (!isObject(call)) continue;
      const fn = isObject(call.function) ? call.function : call;
      toolCalls.push({
        id: typeof call.id === 'string' ? call.id : null,
        name: typeof fn.name === 'string' ? fn.name : '?',
        arguments: asText(fn.arguments ?? ''),
      });
    }
  }
  if (isObject(raw.function_call) && typeof raw.function_call.name === 'string') {
    toolCalls.push({ id: null, name: raw.function_call.name, arguments: asText(raw.function_call.arguments ?? '') });
  }
  return {
    role: String(raw.role),
    name: typeof raw.name === 'string' ? raw.name : null,
    text: texts.length ? texts.join('\n\n') : null,
    toolCalls,
    toolCallId,
  };
}

const isMessage = (value: unknown): value is Json => isObject(value) && typeof value.role === 'string';

function chatMessages(value: unknown): Json[] | null {
  if (Array.isArray(value)) return value.length > 0 && value.every(isMessage) ? value : null;
  if (!isObject(value)) return null;
  if (Array.isArray(value.messages) && value.messages.length > 0 && value.messages.every(isMessage)) return value.messages;
  if (Array.isArray(value.choices)) {
    const messages = value.choices.map((choice) => (isObject(choice) ? choice.message : undefined));
    if (messages.length > 0 && messages.every(isMessage)) return messages;
  }
  if (isMessage(value) && 'content' in value) return [value];
  return null;
}

/** Says what a stored text is: a chat, other JSON, or plain text (read as markdown). */
export function parseContent(text: string): Content {
  const value = parseJson(text);
  if (value === undefined) return { kind: 'text', text };
  const messages = chatMessages(value);
  if (messages) return { kind: 'chat', messages: messages.map(toMessage) };
  return { kind: 'json', value };
}
