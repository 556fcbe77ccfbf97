import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what Lumen's charts draw is registered, which keeps the rest of ECharts out of the bundle.
// SVG rather than canvas: crisp at any pixel ratio, text that can be selected and read by tests,
// and fast enough for the few hundred points a chart here shows.
use([SVGRenderer, LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent]);

/** An ECharts option made only of the registered parts. */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;
