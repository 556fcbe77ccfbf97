/**
 * What charts draw with, read from the page's CSS so they follow light and dark mode and use the
 * page's font. ECharts measures text to fit and cut labels, so it needs the real font family, not
 * `inherit`.
 */
export interface ChartTheme {
  fontFamily: string;
  /** False when the viewer asked for reduced motion: charts then change without animating. */
  animate: boolean;
  text: string;
  muted: string;
  border: string;
  surface: string;
  ok: string;
  error: string;
  warning: string;
  /** Series colours in order (--chart-1 … --chart-8). */
  series: string[];
}

/** The light theme of styles.css, for when the page's styles cannot be read (tests, very old browsers). */
export const LIGHT_CHART_THEME: ChartTheme = {
  fontFamily: 'system-ui, sans-serif',
  animate: true,
  text: '#1b1f2a',
  muted: '#565f70',
  border: '#e3e6ef',
  surface: '#ffffff',
  ok: '#067647',
  error: '#b42318',
  warning: '#93400a',
  series: ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#0284c7', '#7c3aed', '#65a30d', '#64748b'],
};

export function readChartTheme(style: Pick<CSSStyleDeclaration, 'getPropertyValue'>, reducedMotion = false): ChartTheme {
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const base = LIGHT_CHART_THEME;
  return {
    fontFamily: read('font-family', base.fontFamily),
    animate: !reducedMotion,
    text: read('--text', base.text),
    muted: read('--text-muted', base.muted),
    border: read('--border', base.border),
    surface: read('--surface', base.surface),
    ok: read('--ok', base.ok),
    error: read('--error', base.error),
    warning: read('--warning', base.warning),
    series: base.series.map((fallback, index) => read(`--chart-${index + 1}`, fallback)),
  };
}
