// A Chart.js chart of a query's measures: a line over time when the query
// groups by a time dimension, otherwise bars per dimension value.
import type { Query, ResultSet } from '@cubejs-client/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from './dom';

// Register only what the two chart kinds use, to keep the bundle small.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function chartKindFor(query: Query): 'line' | 'bar' {
  return query.timeDimensions?.some((t) => 'granularity' in t && t.granularity) ? 'line' : 'bar';
}

/** Returns the chart's container, or null when there is nothing numeric to draw. */
export function resultChart(resultSet: ResultSet, query: Query): HTMLElement | null {
  if (!query.measures?.length) return null;
  const rows = resultSet.chartPivot();
  if (rows.length === 0) return null;
  const kind = chartKindFor(query);
  const series = resultSet.seriesNames();
  const canvas = h('canvas', { testid: 'chart', 'data-chart-kind': kind, role: 'img', 'aria-label': 'Chart of the result' });
  const container = h('div', { class: 'chart-wrap' }, canvas);
  new Chart(canvas, {
    type: kind,
    data: {
      labels: rows.map((row) => String(row.x)),
      datasets: series.map((s, i) => ({
        label: s.title,
        data: rows.map((row) => Number(row[s.key] ?? 0)),
        backgroundColor: PALETTE[i % PALETTE.length],
        borderColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false },
  });
  return container;
}
