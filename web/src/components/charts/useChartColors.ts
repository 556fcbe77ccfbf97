import { computed, ref, type ComputedRef } from 'vue';
import { readChartColors, type ChartColors } from './chartColors';

const scheme = ref<'light' | 'dark'>('light');
let watching = false;

function watchScheme() {
  if (watching || typeof window === 'undefined' || !window.matchMedia) return;
  watching = true;
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  scheme.value = query.matches ? 'dark' : 'light';
  query.addEventListener('change', (event) => (scheme.value = event.matches ? 'dark' : 'light'));
}

/** Chart colours for the current colour scheme; they change when the system switches light or dark mode. */
export function useChartColors(): ComputedRef<ChartColors> {
  watchScheme();
  return computed(() => {
    // The CSS variables change with the media query; reading the scheme makes this recompute then.
    void scheme.value;
    return readChartColors(getComputedStyle(document.documentElement));
  });
}
