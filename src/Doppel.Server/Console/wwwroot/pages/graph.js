// The twin graph: the twins of a query and the relationships among them (GET /doppel/graph), drawn by Cytoscape.js on
// canvas. Expand a twin's neighbours (double-click it, or the button beside it), colour by model, by a property or by
// open alerts (kept live from the event stream), and open a twin's page. Readable at a few thousand nodes: a radial
// layout that costs O(n + e) beyond a few hundred nodes, labels drawn only when large enough on screen, edges hidden
// while panning.
import cytoscape from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { subscribeEvents } from '../lib/events.js';
import { ErrorBox, Field, formatValue, href, html, navigate } from '../lib/ui.js';

const DEFAULT_QUERY = 'SELECT * FROM DIGITALTWINS';
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#4b5563', '#ea580c', '#0d9488', '#9333ea'];
const NONE = '#9ca3af';
const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'];
const SEVERITY_COLOURS = { critical: '#b91c1c', major: '#ea580c', minor: '#d97706', warning: '#ca8a04', info: '#2563eb' };
const NO_ALERT = '#16a34a';
// Above this many nodes, a force-directed layout costs seconds: concentric rings by degree cost milliseconds.
const FORCE_LAYOUT_LIMIT = 300;
// Up to this many relationships, their names are drawn (when zoomed in enough).
const NAMED_EDGES_LIMIT = 500;

const STYLE = [
  { selector: 'node', style: {
    'background-color': 'data(color)', label: 'data(label)', width: 14, height: 14,
    'font-size': 10, 'min-zoomed-font-size': 7, 'text-valign': 'bottom', 'text-margin-y': 2, color: '#1f2937',
  } },
  { selector: 'node.expanded', style: { shape: 'round-rectangle' } },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#111827' } },
  { selector: 'edge', style: {
    width: 1, 'line-color': '#cbd5e1', 'curve-style': 'straight', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#cbd5e1',
    'arrow-scale': 0.6,
  } },
  // Relationship names only on smaller drawings: measuring thousands of edge labels costs more than drawing the edges.
  { selector: 'edge.named', style: { label: 'data(name)', 'font-size': 8, 'min-zoomed-font-size': 9, color: '#6b7280' } },
  { selector: 'edge:selected', style: { 'line-color': '#111827', 'target-arrow-color': '#111827', width: 2 } },
];

/** A stable colour for a text (a model id, a category). */
function colourOf(text) {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

/** Blue (low) to red (high) through purple, for a value in [0, 1]. */
function scaleColour(t) {
  const from = [37, 99, 235];
  const to = [220, 38, 38];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The model's name without its dtmi: prefix and version, for labels and legends. */
function shortModel(model) {
  return (model ?? '').replace(/^dtmi:/, '').replace(/;\d+$/, '');
}

function valueAt(properties, path) {
  let v = properties;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? v[part] : undefined;
  return v;
}

/** The scalar properties of the nodes, as dotted paths (components one level down). */
function propertyNames(nodes) {
  const names = new Set();
  for (const node of nodes) {
    for (const [name, value] of Object.entries(node.properties ?? {})) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [inner, v] of Object.entries(value)) if (v === null || typeof v !== 'object') names.add(`${name}.${inner}`);
      } else if (!Array.isArray(value)) {
        names.add(name);
      }
    }
  }
  return [...names].sort();
}

/**
 * Colours for the nodes by a mode. Answers { colour(node) → css colour, legend: [{ colour, label }] }.
 * node: { id, model, properties }; alerts: Map twinId → severity of its worst open alert.
 */
function palette(mode, property, nodes, alerts) {
  if (mode === 'alerts') {
    return {
      colour: (n) => SEVERITY_COLOURS[alerts.get(n.id)] ?? NO_ALERT,
      legend: [...SEVERITIES.map((s) => ({ colour: SEVERITY_COLOURS[s], label: s })), { colour: NO_ALERT, label: 'no open alert' }],
    };
  }
  if (mode === 'property' && property) {
    const values = nodes.map((n) => valueAt(n.properties, property)).filter((v) => v !== undefined && v !== null);
    const numeric = values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (numeric) {
      const min = Math.min(...values);
      const max = Math.max(...values);
      const span = max - min || 1;
      return {
        colour: (n) => {
          const v = valueAt(n.properties, property);
          return typeof v === 'number' ? scaleColour((v - min) / span) : NONE;
        },
        legend: [{ colour: scaleColour(0), label: `${property} = ${formatValue(min)}` }, { colour: scaleColour(0.5), label: formatValue((min + max) / 2) },
          { colour: scaleColour(1), label: formatValue(max) }, { colour: NONE, label: 'no value' }],
      };
    }
    const counts = new Map();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const categories = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a));
    const shown = new Map(categories.slice(0, PALETTE.length).map((c, i) => [c, PALETTE[i]]));
    return {
      colour: (n) => {
        const v = valueAt(n.properties, property);
        return v === undefined || v === null ? NONE : shown.get(String(v)) ?? '#374151';
      },
      legend: [...[...shown].map(([label, colour]) => ({ colour, label: `${property} = ${label}` })),
        ...(categories.length > shown.size ? [{ colour: '#374151', label: `${categories.length - shown.size} other values` }] : []),
        { colour: NONE, label: 'no value' }],
    };
  }
  const models = [...new Set(nodes.map((n) => n.model ?? ''))].sort();
  return { colour: (n) => colourOf(n.model ?? ''), legend: models.map((m) => ({ colour: colourOf(m), label: shortModel(m) || '(no model)' })) };
}

function edgeId(edge) {
  return `${edge.source}\u241f${edge.id}`;
}

/**
 * A radial tree in O(n + e): a breadth-first spanning tree over the drawing (from twins no relationship points at,
 * then the best connected), each twin on the ring of its depth, inside a wedge of its parent's as wide as its share
 * of the leaves, so a subtree stays together. Components hang from one virtual centre. Answers id → { x, y }.
 */
function radialPositions(ids, edges) {
  // Plain adjacency from one pass over the edges, before Cytoscape holds them: its per-node queries cost too much here.
  const neighbours = new Map(ids.map((id) => [id, []]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const { source, target } of edges) {
    if (!neighbours.has(source) || !neighbours.has(target)) continue;
    neighbours.get(source).push(target);
    neighbours.get(target).push(source);
    indegree.set(target, indegree.get(target) + 1);
  }
  const parentOf = new Map();
  const children = new Map();
  const roots = [];
  const seen = new Set();
  const starts = ids.slice().sort((a, b) => (indegree.get(b) === 0) - (indegree.get(a) === 0) || neighbours.get(b).length - neighbours.get(a).length);
  for (const start of starts) {
    if (seen.has(start)) continue;
    seen.add(start);
    roots.push(start);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      const kids = [];
      for (const next of neighbours.get(node)) {
        if (!seen.has(next)) {
          seen.add(next);
          parentOf.set(next, node);
          kids.push(next);
          queue.push(next);
        }
      }
      children.set(node, kids);
    }
  }
  // Leaves per subtree, children before parents (reverse breadth-first order).
  const leaves = new Map();
  const order = [];
  for (const root of roots) {
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      order.push(queue[head]);
      queue.push(...children.get(queue[head]));
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const kids = children.get(order[i]);
    leaves.set(order[i], kids.length ? kids.reduce((sum, k) => sum + leaves.get(k), 0) : 1);
  }
  const total = roots.reduce((sum, r) => sum + leaves.get(r), 0);
  // Depth 1 for the roots (a lone component sits in the middle), and the ring gap that fits the fullest ring.
  const single = roots.length === 1;
  const depth = new Map();
  const perRing = [];
  for (const id of order) {
    const d = parentOf.has(id) ? depth.get(parentOf.get(id)) + 1 : single ? 0 : 1;
    depth.set(id, d);
    perRing[d] = (perRing[d] ?? 0) + 1;
  }
  let gap = 60;
  perRing.forEach((count, d) => { if (d > 0) gap = Math.max(gap, (count * 18) / (2 * Math.PI * d)); });
  const positions = {};
  const place = (id, from, to) => {
    const angle = (from + to) / 2;
    const r = depth.get(id) * gap;
    positions[id] = { x: r * Math.cos(angle), y: r * Math.sin(angle) };
    let at = from;
    for (const kid of children.get(id)) {
      const width = ((to - from) * leaves.get(kid)) / leaves.get(id);
      place(kid, at, at + width);
      at += width;
    }
  };
  let at = 0;
  for (const root of roots) {
    const width = (2 * Math.PI * leaves.get(root)) / total;
    place(root, at, at + width);
    at += width;
  }
  return positions;
}

function layoutName(name, count) {
  return name === 'auto' ? (count <= FORCE_LAYOUT_LIMIT ? 'cose' : 'radial') : name;
}

/**
 * Shows every position in the canvas, from the positions' extent: Cytoscape's fit measures every label for the
 * bounding box first, which at thousands of elements costs more than the drawing.
 */
function fitPositions(cy, positions, padding = 20) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { x, y } of Object.values(positions)) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return;
  const node = 14;
  const width = Math.max(1, maxX - minX + node);
  const height = Math.max(1, maxY - minY + node);
  const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min((cy.width() - 2 * padding) / width, (cy.height() - 2 * padding) / height)));
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - (zoom * (minX + maxX)) / 2, y: cy.height() / 2 - (zoom * (minY + maxY)) / 2 } });
}

/** Runs one of Cytoscape's layouts on the drawing ('radial' places the elements as they are added instead). */
function runLayout(cy, chosen) {
  const common = { animate: false, fit: true, padding: 20 };
  let layout;
  switch (chosen) {
    case 'cose':
      layout = cy.layout({ ...common, name: 'cose', randomize: true, numIter: 1000, nodeRepulsion: () => 8000, idealEdgeLength: () => 60 });
      break;
    case 'concentric':
      // Rings by degree: hubs in the middle.
      layout = cy.layout({ ...common, name: 'concentric', minNodeSpacing: 6, concentric: (n) => n.degree(), levelWidth: () => 2 });
      break;
    case 'breadthfirst':
      layout = cy.layout({ ...common, name: 'breadthfirst', directed: true, spacingFactor: 1.1 });
      break;
    default:
      layout = cy.layout({ ...common, name: chosen });
  }
  const stopped = layout.promiseOn('layoutstop');
  layout.run();
  return stopped;
}

/** The worst open alert of each twin, from the list of open alerts. */
function worstByTwin(alerts) {
  const worst = new Map();
  for (const a of alerts) {
    const now = worst.get(a.twinId);
    if (!now || SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf(now)) worst.set(a.twinId, a.severity);
  }
  return worst;
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

export default function GraphPage({ params, api, signal }) {
  const container = useRef(null);
  const cyRef = useRef(null);
  const nodesRef = useRef(new Map());
  const openAlerts = useRef([]);
  const [query, setQuery] = useState(params?.query?.query ?? DEFAULT_QUERY);
  const [max, setMax] = useState(Number(params?.query?.max) || 2000);
  const [layout, setLayout] = useState('auto');
  const [mode, setMode] = useState(params?.query?.colour ?? 'model');
  const [property, setProperty] = useState('');
  const [alerts, setAlerts] = useState(() => new Map());
  const [alertError, setAlertError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState(null);
  const [selected, setSelected] = useState(null);
  const [version, setVersion] = useState(0);
  const [find, setFind] = useState('');

  const nodes = useMemo(() => [...nodesRef.current.values()], [version]);
  const colours = useMemo(() => palette(mode, property, nodes, alerts), [mode, property, nodes, alerts]);
  const names = useMemo(() => propertyNames(nodes), [nodes]);

  // One Cytoscape instance for the page's life.
  useEffect(() => {
    const cy = cytoscape({
      container: container.current,
      style: STYLE,
      minZoom: 0.02,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      motionBlur: false,
      pixelRatio: 1,
      boxSelectionEnabled: false,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (e) => {
      const original = e.originalEvent;
      if (original && (original.ctrlKey || original.metaKey)) {
        navigate(`twins/${encodeURIComponent(e.target.id())}`);
        return;
      }
      setSelected(e.target.id());
    });
    cy.on('tap', (e) => { if (e.target === cy) setSelected(null); });
    cy.on('dbltap', 'node', (e) => { expandRef.current?.(e.target.id()); });
    return () => { cy.destroy(); cyRef.current = null; };
  }, []);

  // Colours follow the mode, the property, the alerts and the nodes.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        const node = nodesRef.current.get(n.id());
        if (node) n.data('color', colours.colour(node));
      });
    });
  }, [colours]);

  // Open alerts while colouring by them: listed once, then kept live from the event stream.
  useEffect(() => {
    if (mode !== 'alerts') return undefined;
    let live = true;
    setAlertError(null);
    api.list('/doppel/alerts', { query: { state: 'open' }, signal, max: 100000 }).then(
      (list) => { if (live) { openAlerts.current = list; setAlerts(worstByTwin(list)); } },
      (e) => { if (live && e.name !== 'AbortError') setAlertError(e); },
    );
    const stream = subscribeEvents({ types: ['alert'] }, {
      onEvent: (event) => {
        const alert = event.data;
        if (!alert?.id) return;
        const others = openAlerts.current.filter((a) => a.id !== alert.id);
        openAlerts.current = alert.state === 'resolved' ? others : [...others, alert];
        setAlerts(worstByTwin(openAlerts.current));
      },
      onError: (e) => setAlertError(e),
    });
    return () => { live = false; stream.close(); };
  }, [mode]);

  const elementsOf = (graph, colour) => [
    ...graph.nodes.map((n) => ({ group: 'nodes', data: { id: n.id, label: n.id, model: n.model, color: colour(n) } })),
    ...graph.edges.map((e) => ({ group: 'edges', data: { id: edgeId(e), source: e.source, target: e.target, name: e.name }, classes: graph.edges.length <= NAMED_EDGES_LIMIT ? 'named' : '' })),
  ];

  const draw = async (event) => {
    event?.preventDefault();
    const cy = cyRef.current;
    setBusy(true);
    setError(null);
    setSelected(null);
    try {
      const fetched = performance.now();
      const graph = await api.get(api.url('/doppel/graph', { query, max }), { signal });
      const started = performance.now();
      nodesRef.current = new Map(graph.nodes.map((n) => [n.id, n]));
      const colour = palette(mode, property, graph.nodes, alerts).colour;
      const chosen = layoutName(layout, graph.nodes.length);
      // The radial tree is computed from the answer and the elements added in place: no layout pass over Cytoscape.
      const positions = chosen === 'radial' ? radialPositions(graph.nodes.map((n) => n.id), graph.edges) : null;
      const elements = elementsOf(graph, colour);
      if (positions) for (const e of elements) if (e.group === 'nodes') e.position = positions[e.data.id];
      cy.batch(() => {
        cy.elements().remove();
        cy.add(elements);
      });
      if (positions) fitPositions(cy, positions);
      else await runLayout(cy, chosen);
      await nextFrame();
      const drawn = performance.now();
      setInfo((before) => ({
        nodes: graph.nodes.length, edges: graph.edges.length, truncated: graph.truncated,
        fetchMs: Math.round(started - fetched), drawMs: Math.round(drawn - started), draws: (before?.draws ?? 0) + 1,
      }));
      setVersion((v) => v + 1);
    } catch (e) {
      if (e.name !== 'AbortError') setError(e);
    } finally {
      setBusy(false);
    }
  };

  const expand = async (id) => {
    const cy = cyRef.current;
    const centre = cy?.getElementById(id);
    if (!centre || centre.empty()) return;
    setError(null);
    try {
      const around = await api.get(api.url(`/doppel/graph/twins/${encodeURIComponent(id)}/neighbours`, { max }), { signal });
      const fresh = around.nodes.filter((n) => !nodesRef.current.has(n.id));
      for (const n of around.nodes) nodesRef.current.set(n.id, n);
      const colour = palette(mode, property, [...nodesRef.current.values()], alerts).colour;
      const at = centre.position();
      const radius = 40 + 6 * fresh.length;
      cy.batch(() => {
        // New neighbours on a ring around the twin; the rest of the drawing stays where the user knows it.
        fresh.forEach((n, i) => {
          const angle = (2 * Math.PI * i) / Math.max(1, fresh.length);
          cy.add({ group: 'nodes', data: { id: n.id, label: n.id, model: n.model, color: colour(n) }, position: { x: at.x + radius * Math.cos(angle), y: at.y + radius * Math.sin(angle) } });
        });
        for (const e of around.edges) {
          if (cy.getElementById(edgeId(e)).empty()) cy.add({ group: 'edges', data: { id: edgeId(e), source: e.source, target: e.target, name: e.name }, classes: cy.edges().length < NAMED_EDGES_LIMIT ? 'named' : '' });
        }
        centre.addClass('expanded');
      });
      setInfo((i) => ({ ...(i ?? {}), nodes: cy.nodes().length, edges: cy.edges().length, expanded: { id, added: fresh.length, truncated: around.truncated } }));
      setVersion((v) => v + 1);
    } catch (e) {
      if (e.name !== 'AbortError') setError(e);
    }
  };
  const expandRef = useRef(expand);
  expandRef.current = expand;

  const locate = (event) => {
    event.preventDefault();
    const cy = cyRef.current;
    const node = cy.getElementById(find.trim());
    if (node.empty()) {
      setError({ message: `No twin '${find.trim()}' in this drawing.`, code: 'NotDrawn' });
      return;
    }
    setError(null);
    cy.elements().unselect();
    node.select();
    cy.zoom({ level: Math.max(cy.zoom(), 1.5), position: node.position() });
    cy.center(node);
    setSelected(node.id());
  };

  // The first drawing, from the query in the address or the default.
  useEffect(() => { draw(); }, []);

  const node = selected ? nodesRef.current.get(selected) : null;
  return html`<section class="page graph-page">
    <h1>Graph</h1>
    <form class="toolbar" onSubmit=${draw}>
      <input type="text" class="mono" style="flex:1;min-width:20rem" aria-label="Query" name="query" value=${query} onInput=${(e) => setQuery(e.target.value)} />
      <${Field} label="Max nodes"><input type="number" min="1" max="10000" style="width:6rem" aria-label="Max nodes" value=${max} onInput=${(e) => setMax(Number(e.target.value))} /><//>
      <${Field} label="Layout">
        <select aria-label="Layout" value=${layout} onChange=${(e) => setLayout(e.target.value)}>
          ${['auto', 'radial', 'cose', 'concentric', 'breadthfirst', 'grid', 'circle'].map((l) => html`<option value=${l}>${l}</option>`)}
        </select>
      <//>
      <button type="submit" class="primary" disabled=${busy} data-testid="graph-draw">${busy ? 'Drawing…' : 'Draw'}</button>
    </form>
    <div class="toolbar">
      <${Field} label="Colour by">
        <select aria-label="Colour by" value=${mode} onChange=${(e) => setMode(e.target.value)} data-testid="graph-colour">
          <option value="model">Model</option><option value="property">Property</option><option value="alerts">Open alerts</option>
        </select>
      <//>
      ${mode === 'property' ? html`<${Field} label="Property">
        <select aria-label="Property" value=${property} onChange=${(e) => setProperty(e.target.value)} data-testid="graph-property">
          <option value="">(choose)</option>${names.map((n) => html`<option value=${n}>${n}</option>`)}
        </select><//>` : null}
      <form class="row" onSubmit=${locate}>
        <${Field} label="Find a twin"><input type="search" aria-label="Find a twin" value=${find} onInput=${(e) => setFind(e.target.value)} data-testid="graph-find" /><//>
        <button type="submit">Find</button>
      </form>
      <span class="spacer"></span>
      ${info ? html`<span class="muted" data-testid="graph-info" data-nodes=${info.nodes} data-edges=${info.edges} data-draw-ms=${info.drawMs ?? ''} data-draws=${info.draws ?? 0}>
        ${info.nodes} nodes, ${info.edges} edges${info.truncated ? ' (truncated: raise Max nodes or narrow the query)' : ''}
        ${info.drawMs !== undefined ? ` · fetched in ${info.fetchMs} ms, drawn in ${info.drawMs} ms` : ''}
        ${info.expanded ? ` · ${info.expanded.id}: ${info.expanded.added} new neighbours` : ''}</span>` : null}
    </div>
    <${ErrorBox} error=${error} />
    ${mode === 'alerts' ? html`<${ErrorBox} error=${alertError} title="Open alerts could not be read" />` : null}
    <div class="graph-layout" style="display:grid;grid-template-columns:1fr 18rem;gap:var(--gap)">
      <div ref=${container} class="graph-canvas panel" data-testid="graph-canvas" style="height:70vh;min-height:24rem;padding:0"></div>
      <aside>
        <div class="panel" data-testid="graph-legend">
          <strong>Legend</strong>
          ${colours.legend.map((l) => html`<div><span style=${`display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.4rem;background:${l.colour}`}></span>${l.label}</div>`)}
        </div>
        ${node ? html`<div class="panel" data-testid="graph-selected">
          <div><a href=${href('twins', node.id)} data-testid="graph-open-twin"><strong>${node.id}</strong></a></div>
          <div class="muted mono">${node.model}</div>
          ${mode === 'alerts' && alerts.get(node.id) ? html`<div>Worst open alert: <span class="badge danger">${alerts.get(node.id)}</span></div>` : null}
          <table class="table">${Object.entries(node.properties ?? {}).map(([k, v]) => html`<tr><td>${k}</td><td>${formatValue(v)}</td></tr>`)}</table>
          <div class="toolbar">
            <button type="button" onClick=${() => expand(node.id)} data-testid="graph-expand">Expand neighbours</button>
            <a href=${href('twins', node.id)}>Open twin page</a>
          </div>
        </div>` : html`<p class="muted">Click a twin to see it; double-click to add its neighbours; Ctrl-click to open its page.
          Labels appear as you zoom in.</p>`}
      </aside>
    </div>
  </section>`;
}
