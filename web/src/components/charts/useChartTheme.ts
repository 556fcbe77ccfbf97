import { computed, ref, type ComputedRef } from 'vue';

import { readChartTheme, type ChartTheme } from './chartTheme';

const dark = ref(false);
const reducedMotion = ref(false);
let watching = false;

function follow(query: string, target: typeof dark) {
  const media = window.matchMedia(query);
  target.value = media.matches;
  media.addEventListener('change', (event) => (target.value = event.matches));
}

/**
 * The chart theme for the current colour scheme and motion preference; it changes when the system
 * switches between light and dark mode.
 */
export function useChartTheme(): ComputedRef<ChartTheme> {
  if (!watching && typeof window !== 'undefined' && 'matchMedia' in window) {
    watching = true;
    follow('(prefers-color-scheme: dark)', dark);
    follow('(prefers-reduced-motion: reduce)', reducedMotion);
  }
  return computed(() => {
    // The CSS variables change with the media query; reading `dark` makes this recompute then.
    void dark.value;
    return readChartTheme(getComputedStyle(document.documentElement), reducedMotion.value);
  });
}
