// The manufacturing pack's console page (#/packs/manufacturing/line?twin=line-1): a production line drawn from its
// twins, stations in flow order coloured by the state their controller reports, buffers filled to their level, and
// the line's throughput over time, all kept live by the event stream.
import { useEffect, useRef, useState } from 'preact/hooks';
import cytoscape from 'cytoscape';
import uPlot from 'uplot';
import { subscribeEvents } from '/console/lib/events.js';
import { ErrorBox, html } from '/console/lib/ui.js';

const LINE_MODEL = 'dtmi:doppel:manufacturing:Line;1';
// The states a station reports (LineSnapshot in the pack); the four of the line's flow first.
const STATES = [
  ['working', '#2f9e44'], ['starved', '#f08c00'], ['blocked', '#1c7ed6'], ['down', '#e03131'],
  ['cooling', '#f76707'], ['setup', '#7048e8'], ['maintenance', '#ae3ec9'], ['offShift', '#868e96'],
];
const COLOURS = Object.fromEntries(STATES);
const UNKNOWN = '#adb5bd';
const WINDOW_SECONDS = 10 * 60;

const colourOf = state => COLOURS[state] ?? UNKNOWN;
const quote = text => `'${String(text).replaceAll("'", "\\'")}'`;

/** The line's stations and buffers in flow order: station k, then the buffer after it (buffer 'sequence' k). */
async function readLayout(api, lineId, signal) {
  const relationships = await api.list(api.adt(`/digitaltwins/${encodeURIComponent(lineId)}/relationships`), { signal });
  const ids = name => relationships.filter(r => r.$relationshipName === name).map(r => r.$targetId);
  const fetchTwins = list => Promise.all(list.map(id => api.get(api.adt(`/digitaltwins/${encodeURIComponent(id)}`), { signal })));
  const bySequence = (a, b) => (a.sequence ?? 0) - (b.sequence ?? 0) || a.$dtId.localeCompare(b.$dtId);
  const [stations, buffers] = await Promise.all([fetchTwins(ids('hasStation')), fetchTwins(ids('hasBuffer'))]);
  return { stations: stations.sort(bySequence), buffers: buffers.sort(bySequence) };
}

/** Cytoscape elements at preset positions: the flow left to right, each buffer after its station. */
function elements(layout) {
  const nodes = [];
  const flow = [];
  let x = 0;
  layout.stations.forEach(station => {
    nodes.push({ group: 'nodes', data: { id: station.$dtId, label: station.$dtId, kind: 'station', state: station.state ?? 'unknown', colour: colourOf(station.state) }, position: { x, y: 0 } });
    flow.push(station.$dtId);
    x += 110;
    const buffer = layout.buffers.find(b => b.sequence === station.sequence);
    if (buffer) {
      nodes.push({ group: 'nodes', data: { id: buffer.$dtId, kind: 'buffer', ...bufferData(buffer.level, buffer.capacity) }, position: { x, y: 0 } });
      flow.push(buffer.$dtId);
      x += 110;
    }
  });
  const edges = flow.slice(1).map((id, i) => ({ group: 'edges', data: { id: `${flow[i]}->${id}`, source: flow[i], target: id } }));
  return [...nodes, ...edges];
}

function bufferData(level, capacity) {
  const share = capacity > 0 ? Math.max(0, Math.min(1, (level ?? 0) / capacity)) : 0;
  const fill = Math.round(share * 100);
  return { level: level ?? 0, capacity, label: `${level ?? 0} / ${capacity ?? '?'}`, stops: `0% ${fill}% ${fill}% 100%` };
}

const STYLE = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 6, color: '#212529' } },
  { selector: 'node[kind = "station"]', style: { shape: 'round-rectangle', width: 70, height: 50, 'background-color': 'data(colour)', 'border-width': 1, 'border-color': '#495057' } },
  {
    selector: 'node[kind = "buffer"]', style: {
      shape: 'rectangle', width: 26, height: 44, 'border-width': 1, 'border-color': '#495057',
      'background-fill': 'linear-gradient', 'background-gradient-direction': 'to-top',
      'background-gradient-stop-colors': '#4dabf7 #4dabf7 #f1f3f5 #f1f3f5', 'background-gradient-stop-positions': 'data(stops)',
    },
  },
  { selector: 'edge', style: { width: 2, 'line-color': '#868e96', 'target-arrow-color': '#868e96', 'target-arrow-shape': 'triangle', 'curve-style': 'straight' } },
];

export default function LinePage({ params, api, signal }) {
  const [lines, setLines] = useState(null);
  const [lineId, setLineId] = useState(params?.query?.twin ?? null);
  const [layout, setLayout] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('connecting');
  const drawing = useRef(null);
  const chartBox = useRef(null);

  // The lines there are; the one asked for, else the first.
  useEffect(() => {
    api.query(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(${quote(LINE_MODEL)})`, { signal })
      .then(({ rows }) => {
        setLines(rows);
        if (!lineId && rows.length > 0) setLineId(rows[0].$dtId);
      })
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, []);

  useEffect(() => {
    if (!lineId) return;
    setLayout(null);
    readLayout(api, lineId, signal).then(setLayout).catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, [lineId]);

  // The drawing, the chart and the live feed, for the line's layout.
  useEffect(() => {
    if (!layout || !drawing.current) return;
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal?.addEventListener('abort', abort);
    const cy = cytoscape({
      container: drawing.current, elements: elements(layout), style: STYLE, layout: { name: 'preset', padding: 30 },
      userZoomingEnabled: false, userPanningEnabled: false, autoungrabify: true, boxSelectionEnabled: false,
    });
    cy.fit(undefined, 30);
    // What the drawing shows, readable without pixels (station:state,…): tests and assistive tools read it.
    const describe = () => drawing.current?.setAttribute('data-states', cy.nodes('[kind = "station"]').map(n => `${n.id()}:${n.data('state')}`).join(','));
    describe();

    const xs = [];
    const ys = [];
    const chart = new uPlot({
      width: Math.max(320, chartBox.current.clientWidth), height: 220,
      series: [{}, { label: 'throughput (parts per time unit)', stroke: '#1c7ed6', width: 2, spanGaps: true }],
      axes: [{}, { label: 'parts / time unit' }],
      scales: { x: { time: true } },
    }, [xs, ys], chartBox.current);
    const addPoint = (time, value) => {
      if (typeof value !== 'number') return;
      xs.push(time);
      ys.push(value);
      while (xs.length > 0 && xs[0] < time - WINDOW_SECONDS) { xs.shift(); ys.shift(); }
      chart.setData([xs, ys]);
      chartBox.current?.setAttribute('data-points', String(xs.length));
      chartBox.current?.setAttribute('data-newest', String(xs[xs.length - 1]));
    };
    const resize = () => chart.setSize({ width: Math.max(320, chartBox.current?.clientWidth ?? 320), height: 220 });
    window.addEventListener('resize', resize);

    // History first (the last ten minutes), then live points as they come.
    const from = new Date(Date.now() - WINDOW_SECONDS * 1000).toISOString();
    const history = api.list(`/doppel/history/twins/${encodeURIComponent(lineId)}`, { query: { names: 'throughput', from, 'max-items-per-page': 10000 }, signal: stop.signal, max: 10000 });

    const members = new Set([lineId, ...layout.stations.map(s => s.$dtId), ...layout.buffers.map(b => b.$dtId)]);
    // Live throughput points are held until history is drawn, so points stay in time order.
    const early = [];
    let drawn = false;
    const onEvent = event => (drawn || event.type !== 'microsoft.iot.telemetry' ? apply(event) : early.push(event));
    const apply = event => {
      if (stop.signal.aborted) return;
      const twin = event.subject;
      if (event.type === 'microsoft.iot.telemetry' && twin === lineId) {
        addPoint(Date.parse(event.time) / 1000, event.data?.throughput);
        return;
      }
      if (event.type !== 'Microsoft.DigitalTwins.Twin.Update') return;
      for (const op of event.data?.patch ?? []) {
        touched.add(`${twin}${op.path}`);
        show(twin, op.path, op.value);
      }
    };
    const show = (twin, path, value) => {
      const node = cy.getElementById(twin);
      if (path === '/state' && node.data('kind') === 'station') {
        node.data({ state: value ?? 'unknown', colour: colourOf(value) });
        setLayout(current => current && ({ ...current, stations: current.stations.map(s => s.$dtId === twin ? { ...s, state: value } : s) }));
      } else if (path === '/level' && node.data('kind') === 'buffer') {
        node.data(bufferData(value, node.data('capacity')));
        setLayout(current => current && ({ ...current, buffers: current.buffers.map(b => b.$dtId === twin ? { ...b, level: value } : b) }));
      }
      describe();
    };
    // Once the stream is open (again), the twins are read afresh: what changed before it opened came as no event. A
    // change that arrives as an event after the read was sent is newer than it (later changes come as events too).
    const touched = new Set();
    const refresh = () => {
      touched.clear();
      const parts = [...layout.stations.map(t => [t.$dtId, '/state']), ...layout.buffers.map(t => [t.$dtId, '/level'])];
      Promise.all(parts.map(([id]) => api.get(api.adt(`/digitaltwins/${encodeURIComponent(id)}`), { signal: stop.signal })))
        .then(twins => twins.forEach((twin, i) => {
          const [id, path] = parts[i];
          if (!touched.has(`${id}${path}`)) show(id, path, twin[path.slice(1)]);
        }))
        .catch(e => { if (e.name !== 'AbortError') setError(e); });
    };
    const status = value => {
      setLive(value);
      if (value === 'open') refresh();
    };
    const subscription = subscribeEvents({ twinIds: [...members], types: ['twin', 'telemetry'] }, { onEvent, onStatus: status, onError: setError });
    history
      .then(points => points.forEach(p => addPoint(Date.parse(p.time) / 1000, p.value)))
      .catch(e => { if (e.name !== 'AbortError') setError(e); })
      .finally(() => {
        drawn = true;
        const newest = xs.length > 0 ? xs[xs.length - 1] : -Infinity;
        // An event the history already held is not drawn twice.
        early.forEach(event => Date.parse(event.time) / 1000 > newest && apply(event));
      });

    return () => {
      stop.abort();
      subscription.close();
      signal?.removeEventListener('abort', abort);
      window.removeEventListener('resize', resize);
      chart.destroy();
      cy.destroy();
    };
  }, [layout?.stations.map(s => s.$dtId).join(), layout?.buffers.map(b => b.$dtId).join(), lineId]);

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (lines && lines.length === 0) return html`<p>No production line (${LINE_MODEL}) here: load the sample with <code>doppel samples load factory</code>, or run <code>doppel demo</code>.</p>`;
  return html`
    <section class="factory-line" data-testid="factory-page" data-line=${lineId}>
      <header class="page-header">
        <h1>Production line ${lineId ?? ''}</h1>
        ${lines && lines.length > 1 && html`
          <select aria-label="line" value=${lineId} onChange=${e => setLineId(e.currentTarget.value)}>
            ${lines.map(l => html`<option value=${l.$dtId}>${l.name ?? l.$dtId}</option>`)}
          </select>`}
        <span class="badge" data-testid="live-status" data-status=${live}>${live}</span>
        ${lineId && html` <a href=${`#/simulation?kind=line&twin=${encodeURIComponent(lineId)}`} data-testid="what-if-link">Fork into a what-if</a>`}
      </header>
      <div ref=${drawing} data-testid="line-drawing" style="height: 180px; border: 1px solid var(--border, #dee2e6); border-radius: 6px;"></div>
      <ul class="legend" style="display: flex; gap: 1rem; list-style: none; padding: 0; flex-wrap: wrap;">
        ${STATES.slice(0, 4).map(([state, colour]) => html`<li><span style="display: inline-block; width: 0.9em; height: 0.9em; background: ${colour}; border-radius: 2px; margin-right: 0.3em;"></span>${state}</li>`)}
        <li><span style="display: inline-block; width: 0.9em; height: 0.9em; background: #4dabf7; margin-right: 0.3em;"></span>buffer level</li>
      </ul>
      ${layout ? html`
        <div style="display: flex; gap: 2rem; flex-wrap: wrap;">
          <table class="table" data-testid="stations">
            <thead><tr><th>station</th><th>state</th></tr></thead>
            <tbody>${layout.stations.map(s => html`
              <tr data-station=${s.$dtId} data-state=${s.state ?? 'unknown'}>
                <td><a href=${`#/twins/${encodeURIComponent(s.$dtId)}`}>${s.$dtId}</a></td>
                <td><span style="display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; background: ${colourOf(s.state)}; margin-right: 0.4em;"></span>${s.state ?? 'unknown'}</td>
              </tr>`)}
            </tbody>
          </table>
          <table class="table" data-testid="buffers">
            <thead><tr><th>buffer</th><th>level</th><th></th></tr></thead>
            <tbody>${layout.buffers.map(b => html`
              <tr data-buffer=${b.$dtId} data-level=${b.level ?? 0}>
                <td><a href=${`#/twins/${encodeURIComponent(b.$dtId)}`}>${b.$dtId}</a></td>
                <td>${b.level ?? 0} / ${b.capacity ?? '?'}</td>
                <td><meter min="0" max=${b.capacity ?? 1} value=${b.level ?? 0}></meter></td>
              </tr>`)}
            </tbody>
          </table>
        </div>` : html`<p>Reading the line…</p>`}
      <h2>Throughput</h2>
      <div ref=${chartBox} data-testid="throughput-chart"></div>
    </section>`;
}
