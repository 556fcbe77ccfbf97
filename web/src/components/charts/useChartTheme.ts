import { computed, ref, type ComputedRef } from 'vue';
import { readChartTheme, type ChartTheme } from './chartTheme';

const scheme = ref<'light' | 'dark'>('light');
let watching = false;

function watchScheme() {
  if (watching || typeof window === 'undefined' || !window.matchMedia) return;
  watching = true;
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  scheme.value = query.matches ? 'dark' : 'light';
  query.addEventListener('change', (event) => (scheme.value = event.matches ? 'dark' : 'light'));
}

/** The chart theme for the current colour scheme; it changes when the system switches light or dark mode. */
export function useChartTheme(): ComputedRef<ChartTheme> {
  watchScheme();
  return computed(() => {
    // The CSS variables change with the media query; reading the scheme makes this recompute then.
    void scheme.value;
    return readChartTheme(getComputedStyle(document.documentElement));
  });
}
