import { useMutation } from '@urql/vue';

import { fieldErrors, type FieldErrors } from '../../graphql/fieldErrors';
import {
  CreateAlertRuleDocument,
  DeleteAlertRuleDocument,
  PreviewAlertRuleDocument,
  TestWebhookDocument,
  UpdateAlertRuleDocument,
  type AlertRuleInput,
  type PreviewAlertRuleMutation,
  type TestWebhookMutation,
} from '../../graphql/generated/operations';
import { formField, RULE_INPUT_FIELDS } from './ruleForm';
import type { AlertRule } from './useAlertRules';

export type RuleSaveOutcome = { saved: AlertRule } | { errors: FieldErrors };
export type AlertPreview = PreviewAlertRuleMutation['previewAlertRule'];
export type WebhookTest = TestWebhookMutation['testWebhook'];

/** Refused input by form field (`input.emails.3` is the addresses field). */
function ruleErrors(error: Parameters<typeof fieldErrors>[0]): FieldErrors {
  const errors = fieldErrors(error, RULE_INPUT_FIELDS);
  return {
    fields: Object.fromEntries(Object.entries(errors.fields).map(([field, message]) => [formField(field), message])),
    general: errors.general,
  };
}

/** Creating, replacing, deleting and previewing alert rules, and testing a webhook (ADMIN; preview READ). */
export function useAlertRuleChanges() {
  const create = useMutation(CreateAlertRuleDocument);
  const update = useMutation(UpdateAlertRuleDocument);
  const remove = useMutation(DeleteAlertRuleDocument);
  const preview = useMutation(PreviewAlertRuleDocument);
  const webhook = useMutation(TestWebhookDocument);

  return {
    /** Creates a rule (id null) or replaces one. */
    async save(id: string | null, input: AlertRuleInput): Promise<RuleSaveOutcome> {
      if (id) {
        const result = await update.executeMutation({ id, input });
        return result.data ? { saved: result.data.updateAlertRule } : { errors: ruleErrors(result.error) };
      }
      const result = await create.executeMutation({ input });
      return result.data ? { saved: result.data.createAlertRule } : { errors: ruleErrors(result.error) };
    },
    /** Deletes a rule; answers null, or why it was not deleted. */
    async deleteRule(id: string): Promise<string | null> {
      const result = await remove.executeMutation({ id });
      return result.data?.deleteAlertRule ? null : fieldErrors(result.error).general;
    },
    async preview(input: AlertRuleInput, range: { from: string; to: string }): Promise<{ preview: AlertPreview } | { error: string }> {
      const result = await preview.executeMutation({ input, range });
      return result.data
        ? { preview: result.data.previewAlertRule }
        : { error: fieldErrors(result.error).general ?? Object.values(ruleErrors(result.error).fields)[0] ?? '' };
    },
    async testWebhook(url: string, ruleId: string | null): Promise<{ result: WebhookTest } | { error: string }> {
      const result = await webhook.executeMutation({ url, ruleId });
      if (result.data) return { result: result.data.testWebhook };
      const errors = fieldErrors(result.error, ['url']);
      return { error: errors.fields.url ?? errors.general ?? '' };
    },
  };
}
