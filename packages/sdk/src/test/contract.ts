import type { FeedbackInput as ContractFeedbackInput, LogInput } from '@lumen/contract';

import type { FeedbackInput, LogEntry } from '../types.js';

/**
 * The SDK's public input types are its own (it is published without the workspace), but every field
 * it sends must exist in the schema's input: `pnpm typecheck` fails here when one is renamed or removed.
 */
type Missing<Sdk, Schema> = Exclude<keyof Sdk, keyof Schema>;

export const logEntryFieldsExist: [Missing<LogEntry, LogInput>] extends [never] ? true : Missing<LogEntry, LogInput> = true;
export const feedbackFieldsExist: [Missing<FeedbackInput, ContractFeedbackInput>] extends [never]
  ? true
  : Missing<FeedbackInput, ContractFeedbackInput> = true;
