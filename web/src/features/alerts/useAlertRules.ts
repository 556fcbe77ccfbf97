import { useQuery } from '@urql/vue';
import { computed } from 'vue';

import { AlertRulesDocument, type AlertRuleFieldsFragment } from '../../graphql/generated/operations';

export type AlertRule = AlertRuleFieldsFragment;

/** Every alert rule, by name. */
export function useAlertRules() {
  const rules = useQuery({ query: AlertRulesDocument, requestPolicy: 'cache-and-network' });
  return {
    rules: computed(() => rules.data.value?.alertRules ?? []),
    loaded: computed(() => rules.data.value !== undefined),
    error: computed(() => rules.error.value?.message ?? null),
    refresh: () => rules.executeQuery({ requestPolicy: 'network-only' }),
  };
}
