import { useMutation } from '@urql/vue';

import { fieldErrors, type FieldErrors } from '../../graphql/fieldErrors';
import {
  ReopenFeedbackDocument,
  ResolveFeedbackDocument,
  SubmitFeedbackDocument,
  type FeedbackFieldsFragment,
  type FeedbackInput,
} from '../../graphql/generated/operations';
import { FEEDBACK_INPUT_FIELDS } from './feedbackForm';

export type ChangeOutcome = { feedback: FeedbackFieldsFragment } | { error: string };
export type SubmitOutcome = { feedback: FeedbackFieldsFragment } | { errors: FieldErrors };

/** Resolving and reopening feedback (ADMIN) and submitting it by hand (INGEST or ADMIN). */
export function useFeedbackChanges() {
  const resolveMutation = useMutation(ResolveFeedbackDocument);
  const reopenMutation = useMutation(ReopenFeedbackDocument);
  const submitMutation = useMutation(SubmitFeedbackDocument);

  return {
    async resolve(id: string, note: string): Promise<ChangeOutcome> {
      const result = await resolveMutation.executeMutation({ id, note: note.trim() || null });
      return result.data ? { feedback: result.data.resolveFeedback } : { error: fieldErrors(result.error).general ?? '' };
    },
    async reopen(id: string): Promise<ChangeOutcome> {
      const result = await reopenMutation.executeMutation({ id });
      return result.data ? { feedback: result.data.reopenFeedback } : { error: fieldErrors(result.error).general ?? '' };
    },
    async submit(input: FeedbackInput): Promise<SubmitOutcome> {
      const result = await submitMutation.executeMutation({ input });
      if (result.data) return { feedback: result.data.submitFeedback };
      const errors = fieldErrors(result.error, FEEDBACK_INPUT_FIELDS);
      // The form names its fields without the API's `input.` prefix.
      const fields = Object.fromEntries(Object.entries(errors.fields).map(([field, message]) => [field.replace(/^input\./, ''), message]));
      return { errors: { fields, general: errors.general } };
    },
  };
}
