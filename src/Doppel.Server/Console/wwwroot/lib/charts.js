// Time-series charts, all drawn by uPlot: live charts fed from a ring buffer (redrawn at most once a frame, however many
// points arrive), and history charts set from the history API's arrays.
import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** A fixed-size buffer of (time, values…) rows; the oldest row goes when a new one comes and it is full. */
export class RingBuffer {
  constructor(capacity, seriesCount = 1) {
    this.capacity = capacity;
    this.seriesCount = seriesCount;
    this.times = new Float64Array(capacity);
    this.values = Array.from({ length: seriesCount }, () => new Float64Array(capacity));
    this.start = 0;
    this.length = 0;
  }

  /** Adds a row: time in seconds, one value per series (null or undefined for none). */
  push(time, values) {
    const at = (this.start + this.length) % this.capacity;
    this.times[at] = time;
    for (let s = 0; s < this.seriesCount; s++) {
      const v = values[s];
      this.values[s][at] = v === null || v === undefined ? NaN : v;
    }
    if (this.length < this.capacity) this.length += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The rows in time order, as uPlot's data: [times, series1, …] (gaps as null). */
  toData() {
    const n = this.length;
    const times = new Array(n);
    const series = this.values.map(() => new Array(n));
    for (let i = 0; i < n; i++) {
      const at = (this.start + i) % this.capacity;
      times[i] = this.times[at];
      for (let s = 0; s < this.seriesCount; s++) {
        const v = this.values[s][at];
        series[s][i] = Number.isNaN(v) ? null : v;
      }
    }
    return [times, ...series];
  }
}

function widthOf(el) {
  return Math.max(200, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 600));
}

function options(el, { title, series, height, live }) {
  return {
    title,
    width: widthOf(el),
    height: height ?? 200,
    legend: { live: !live },
    cursor: { drag: { x: !live, y: false } },
    scales: { x: { time: true } },
    series: [
      {},
      ...series.map((s, i) => (typeof s === 'string' ? { label: s } : s)).map((s, i) => ({
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: true,
        ...s,
      })),
    ],
    axes: [{}, { size: 60 }],
  };
}

/** Keeps a chart as wide as its element. */
function followWidth(el, plot) {
  const observer = new ResizeObserver(() => plot.setSize({ width: widthOf(el), height: plot.height }));
  observer.observe(el);
  return () => observer.disconnect();
}

/**
 * A live chart in el: push(timeMs, values[]) adds a point; redrawn once per animation frame at most, showing the last
 * windowSeconds (default 60) of up to capacity points (default 1,200). Answers { push, clear, points, destroy, plot }.
 */
export function createLiveChart(el, { title, series = ['value'], capacity = 1200, windowSeconds = 60, height } = {}) {
  const buffer = new RingBuffer(capacity, series.length);
  const plot = new uPlot(options(el, { title, series, height, live: true }), buffer.toData(), el);
  const unfollow = followWidth(el, plot);
  let frame = 0;
  let pushed = 0;
  const draw = () => {
    frame = 0;
    const data = buffer.toData();
    const times = data[0];
    const last = times.length ? times[times.length - 1] : Date.now() / 1000;
    // The window, or less while the buffer holds less, so a young chart is not squeezed to one side.
    const first = times.length ? times[0] : last;
    const min = last - first >= 1 ? Math.max(first, last - windowSeconds) : last - windowSeconds;
    plot.batch(() => {
      plot.setData(data, false);
      plot.setScale('x', { min, max: last });
    });
  };
  return {
    plot,
    push(timeMs, values) {
      buffer.push(timeMs / 1000, Array.isArray(values) ? values : [values]);
      pushed += 1;
      el.dataset.points = String(pushed); // what a test or a counter can read without the chart
      if (!frame) frame = requestAnimationFrame(draw);
    },
    clear() {
      buffer.start = 0;
      buffer.length = 0;
      if (!frame) frame = requestAnimationFrame(draw);
    },
    /** Points received since the chart was made (for tests and the page's counters). */
    get points() { return pushed; },
    get length() { return buffer.length; },
    destroy() {
      cancelAnimationFrame(frame);
      unfollow();
      plot.destroy();
    },
  };
}

/**
 * A history chart in el from uPlot data [timesInSeconds, series1, …], over range [fromSeconds, toSeconds] when given
 * (else the data's own span). Answers { setData(data, range?), destroy, plot }. Drag across it to zoom.
 */
export function createHistoryChart(el, { title, series = ['value'], data, height, range } = {}) {
  const plot = new uPlot(options(el, { title, series, height, live: false }), data ?? [[], ...series.map(() => [])], el);
  const unfollow = followWidth(el, plot);
  const show = (next, span) => {
    plot.batch(() => {
      plot.setData(next, !span);
      if (span) plot.setScale('x', { min: span[0], max: span[1] });
    });
  };
  if (range) show(plot.data, range);
  return {
    plot,
    setData(next, span = range) { show(next, span); },
    destroy() {
      unfollow();
      plot.destroy();
    },
  };
}

/** Preact: a live chart; onReady(chart) receives the chart (call chart.push) once it exists. */
export function LiveChart({ title, series = ['value'], capacity, windowSeconds, height, onReady, ...rest }) {
  const ref = useRef(null);
  useEffect(() => {
    const chart = createLiveChart(ref.current, { title, series, capacity, windowSeconds, height });
    onReady?.(chart);
    return () => chart.destroy();
  }, [title, series.join('\u0000'), capacity, windowSeconds, height]);
  return h('div', { class: 'chart live-chart', ref, ...rest });
}

/** Preact: a history chart of data ([times in seconds, series…]) over range ([from, to] in seconds, optional); redrawn when they change. */
export function HistoryChart({ title, series = ['value'], data, height, range, ...rest }) {
  const ref = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    chart.current = createHistoryChart(ref.current, { title, series, data, height, range });
    return () => chart.current.destroy();
  }, [title, series.join('\u0000'), height]);
  useEffect(() => {
    if (data) chart.current?.setData(data, range);
  }, [data, range?.[0], range?.[1]]);
  return h('div', { class: 'chart history-chart', ref, ...rest });
}
