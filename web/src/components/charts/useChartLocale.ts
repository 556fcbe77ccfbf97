import { computed, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';

import { useFormat } from '../../composables/useFormat';
import type { ChartLocale } from './axisFormat';

/** The locale and timezone charts format for; options built from it are rebuilt when the language changes. */
export function useChartLocale(): ComputedRef<ChartLocale> {
  const { locale } = useI18n();
  const { timeZone } = useFormat();
  return computed(() => ({ locale: locale.value, timeZone }));
}
