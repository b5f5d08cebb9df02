// The mobility pack's city map (#/packs/mobility/map?twin=CITY[&run=RUN]): the city's roads drawn from their twins'
// shapes and coloured by the live speed (or flow) the follower writes to them, the signals' current states at their
// intersections, both kept live by the event stream; the city's vehicles as its live replay publishes them (the city
// twin's "vehicles" telemetry, over the same stream); and the vehicles of a what-if run (a traffic scenario asked with
// "frames") played over the roads, coloured then by the speeds of that run.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { subscribeEvents } from '/console/lib/events.js';
import { ErrorBox, html } from '/console/lib/ui.js';

const CITY_MODEL = 'dtmi:doppel:mobility:City;1';
const ROAD_MODEL = 'dtmi:doppel:mobility:Road;1';
const INTERSECTION_MODEL = 'dtmi:doppel:mobility:Intersection;1';
const SIGNAL_MODEL = 'dtmi:doppel:mobility:TrafficSignal;1';
const MAX_TWINS = 50000;
const FRAMES_PER_SECOND = 4;

// The speed scale of SpeedColors.cs (the PNG and GIF of `doppel traffic run`): the same stops, 21 steps, halves rounded up.
const STOPS = [[0, 0xc62828], [0.5, 0xf9c80e], [1, 0x2e9e4f]];
const STEPS = 20;
const NO_TRAFFIC = '#b4bac1';
// Flow as a share of a lane's capacity (1,800 veh/h a lane, a common planning figure): pale to dark blue.
const FLOW_STOPS = [[0, 0xdbe9f6], [0.5, 0x4a90c8], [1, 0x08306b]];
const LANE_CAPACITY = 1800;
const SIGNAL_COLOURS = { G: '#2e9e4f', g: '#7cc48f', y: '#f9c80e', Y: '#f9c80e', u: '#f08c00', r: '#c62828', R: '#c62828', s: '#c62828', o: '#868e96', O: '#ced4da' };

const quote = text => `'${String(text).replaceAll("'", "\\'")}'`;
const isNumber = value => typeof value === 'number' && Number.isFinite(value);
const hex = rgb => `#${rgb.toString(16).padStart(6, '0')}`;

function scale(stops, ratio) {
  const step = Math.round(Math.min(1, Math.max(0, ratio)) * STEPS) / STEPS;
  for (let i = 1; i < stops.length; i++) {
    if (step <= stops[i][0]) {
      const [a, from] = stops[i - 1];
      const [b, to] = stops[i];
      const t = (step - a) / (b - a);
      const channel = shift => Math.round(((from >> shift) & 255) + ((((to >> shift) & 255) - ((from >> shift) & 255)) * t));
      return hex((channel(16) << 16) | (channel(8) << 8) | channel(0));
    }
  }
  return hex(stops[stops.length - 1][1]);
}

/** The colour of a speed that is `ratio` of the limit; grey when there is nothing to measure. */
export function speedColour(ratio) {
  return isNumber(ratio) ? scale(STOPS, ratio) : NO_TRAFFIC;
}

function flowColour(flow, lanes) {
  return isNumber(flow) ? scale(FLOW_STOPS, flow / (Math.max(1, lanes ?? 1) * LANE_CAPACITY)) : NO_TRAFFIC;
}

/** SUMO's "x,y x,y ..." as points. */
function parseShape(text) {
  if (typeof text !== 'string') return [];
  return text.trim().split(/\s+/).map(pair => pair.split(',').map(Number)).filter(p => p.length >= 2 && isNumber(p[0]) && isNumber(p[1]));
}

/** A frame as map.js reads it: TrafficFrameJson's tuples or objects with the same names. */
function normaliseFrame(frame) {
  const vehicles = (frame.vehicles ?? []).map(v => (Array.isArray(v) ? { id: v[0], x: v[1], y: v[2], angle: v[3], speed: v[4] } : v));
  const edges = new Map((frame.edges ?? []).map(e => (Array.isArray(e) ? [e[0], { vehicles: e[1], meanSpeed: e[2], halting: e[3] }] : [e.edge, e])));
  return { time: frame.time, vehicles, edges };
}

/** The city's twins: its roads (with their points), intersections and signals, each by twin id. */
async function readCity(api, cityId, signal) {
  const of = model => (cityId
    ? `SELECT T FROM DIGITALTWINS C JOIN T RELATED C.contains WHERE C.$dtId = ${quote(cityId)} AND IS_OF_MODEL(T, ${quote(model)})`
    : `SELECT T FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, ${quote(model)})`);
  const twins = async model => (await api.query(of(model), { signal, max: MAX_TWINS })).rows.map(r => r.T ?? r);
  const [roads, intersections, signals] = await Promise.all([twins(ROAD_MODEL), twins(INTERSECTION_MODEL), twins(SIGNAL_MODEL)]);
  // A signal stands at the intersections it controls.
  const controls = new Map();
  await Promise.all(signals.map(async s => {
    const relationships = await api.list(api.adt(`/digitaltwins/${encodeURIComponent(s.$dtId)}/relationships`, { relationshipName: 'controls' }), { signal });
    controls.set(s.$dtId, relationships.filter(r => r.$relationshipName === 'controls').map(r => r.$targetId));
  }));
  return {
    roads: new Map(roads.map(r => [r.$dtId, { ...r, points: parseShape(r.shape) }])),
    intersections: new Map(intersections.map(i => [i.$dtId, i])),
    signals: new Map(signals.map(s => [s.$dtId, { ...s, at: controls.get(s.$dtId) ?? [] }])),
  };
}

/** The extent of everything drawn, in network metres, with a margin. */
function extent(city) {
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  const add = (x, y) => { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); };
  for (const road of city.roads.values()) for (const [x, y] of road.points) add(x, y);
  for (const i of city.intersections.values()) if (isNumber(i.x) && isNumber(i.y)) add(i.x, i.y);
  if (minX === Infinity) return { minX: 0, minY: 0, maxX: 100, maxY: 100, size: 100 };
  const margin = Math.max(10, 0.03 * Math.max(maxX - minX, maxY - minY));
  return { minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin, size: Math.max(maxX - minX, maxY - minY) + (2 * margin) };
}

/** Applies an update event's JSON Patch (top-level members, as the follower and the replay write them) to a twin. */
function patched(twin, patch) {
  const next = { ...twin };
  for (const op of patch ?? []) {
    const name = op.path?.split('/')[1];
    if (!name || name.startsWith('$')) continue;
    if (op.op === 'remove') delete next[name];
    else if (op.path.split('/').length === 2) next[name] = op.value;
  }
  return next;
}

/** The city twin's "vehicles" telemetry as a frame without road speeds (the roads keep their twins' live colours). */
function liveFrame(vehicles, time) {
  return Array.isArray(vehicles) ? { time, vehicles: vehicles.filter(v => v && isNumber(v.x) && isNumber(v.y)), edges: new Map() } : null;
}

function Map_({ city, frame, live, mode }) {
  const box = useMemo(() => extent(city), [city]);
  const flip = v => box.maxY + box.minY - v; // north up: SUMO's y grows northwards, the screen's downwards
  const minimum = box.size / 400; // every road at least a hair wide on a city-wide view
  const roads = [...city.roads.values()].sort((a, b) => a.$dtId.localeCompare(b.$dtId));
  return html`<svg class="city-map" data-testid="city-map" viewBox=${`${box.minX} ${box.minY} ${box.maxX - box.minX} ${box.maxY - box.minY}`}
      preserveAspectRatio="xMidYMid meet" style="width:100%;max-height:70vh;background:#fff" role="img" aria-label="the city's roads">
    ${[...city.intersections.values()].filter(i => isNumber(i.x) && isNumber(i.y)).map(i => html`
      <circle key=${i.$dtId} cx=${i.x} cy=${flip(i.y)} r=${Math.max(minimum * 2, 4)} fill="#d5d9de" data-testid="intersection" data-intersection=${i.$dtId}></circle>`)}
    ${roads.filter(r => r.points.length >= 2).map(road => {
      let colour;
      let label;
      if (frame) {
        const seen = frame.edges.get(road.edge);
        const ratio = seen && seen.vehicles > 0 && road.speedLimit > 0 ? seen.meanSpeed / road.speedLimit : NaN;
        colour = speedColour(ratio);
        label = seen ? `${seen.vehicles} vehicles at ${seen.meanSpeed} m/s (${seen.halting} halting)` : 'no vehicles';
      } else if (mode === 'flow') {
        colour = flowColour(road.flow, road.lanes);
        label = isNumber(road.flow) ? `${Math.round(road.flow)} veh/h (${Math.round(road.flowLower ?? road.flow)}–${Math.round(road.flowUpper ?? road.flow)})` : 'no estimate yet';
      } else {
        colour = speedColour(isNumber(road.meanSpeed) && road.speedLimit > 0 ? road.meanSpeed / road.speedLimit : NaN);
        label = isNumber(road.meanSpeed) ? `${road.meanSpeed.toFixed(1)} m/s of ${road.speedLimit} m/s` : 'no estimate yet';
      }
      const d = road.points.map(([px, py], k) => `${k ? 'L' : 'M'}${px},${flip(py)}`).join(' ');
      return html`<path key=${road.$dtId} d=${d} fill="none" stroke=${colour} stroke-width=${Math.max(minimum, 3.2 * (road.lanes ?? 1) * 0.9)}
          data-testid="road" data-road=${road.$dtId} data-edge=${road.edge} data-colour=${colour}>
        <title>${road.name ?? road.edge}: ${label}</title></path>`;
    })}
    ${[...city.signals.values()].flatMap(s => s.at.map(id => city.intersections.get(id)).filter(i => i && isNumber(i.x)).map(i => {
      const state = typeof s.state === 'string' ? s.state : '';
      const cell = Math.max(minimum * 1.5, 2.5);
      return html`<g key=${`${s.$dtId}@${i.$dtId}`} data-testid="signal" data-signal=${s.$dtId} data-state=${state}
          transform=${`translate(${i.x - (state.length * cell) / 2},${flip(i.y) - cell / 2})`}>
        <title>${s.signal}: ${state} (phase ${s.phase ?? '–'})</title>
        ${[...state].map((c, k) => html`<rect x=${k * cell} y="0" width=${cell} height=${cell} fill=${SIGNAL_COLOURS[c] ?? '#868e96'} stroke="#fff" stroke-width=${cell / 8}></rect>`)}
      </g>`;
    }))}
    ${(frame ?? live) && html`<g data-testid="vehicles" data-source=${frame ? 'run' : 'live'} data-time=${(frame ?? live).time} data-count=${(frame ?? live).vehicles.length}>
      ${(frame ?? live).vehicles.map(v => html`<circle key=${v.id} cx=${v.x} cy=${flip(v.y)} r=${Math.max(minimum * 1.5, 2.2)} fill="#1d3557" data-testid="vehicle" data-vehicle=${v.id}></circle>`)}
    </g>`}
  </svg>`;
}

function Legend({ mode, frame }) {
  const stops = Array.from({ length: STEPS + 1 }, (_, i) => i / STEPS);
  const colour = frame || mode !== 'flow' ? speedColour : r => scale(FLOW_STOPS, r);
  return html`<div class="map-legend" data-testid="map-legend" style="display:flex;align-items:center;gap:0.5em;font-size:0.85em">
    <span>${frame || mode !== 'flow' ? 'stopped' : '0'}</span>
    <span style="display:inline-flex">${stops.map(r => html`<span style=${`display:inline-block;width:10px;height:10px;background:${colour(r)}`}></span>`)}</span>
    <span>${frame || mode !== 'flow' ? 'at the limit' : `${LANE_CAPACITY} veh/h a lane`}</span>
    <span style=${`display:inline-block;width:14px;height:10px;background:${NO_TRAFFIC}`}></span><span>no data</span>
  </div>`;
}

/** A run's scenarios that carry frames: [{ name, frames }]. */
function scenariosWithFrames(run) {
  const scenarios = run?.result?.scenarios ?? [];
  const found = scenarios.filter(s => Array.isArray(s.frames) && s.frames.length > 0).map(s => ({ name: s.name ?? s.scenario ?? 'scenario', frames: s.frames.map(normaliseFrame) }));
  if (Array.isArray(run?.result?.frames) && run.result.frames.length > 0) found.unshift({ name: 'run', frames: run.result.frames.map(normaliseFrame) });
  return found;
}

export default function MapPage({ params, api, signal }) {
  const [cities, setCities] = useState(null);
  const [cityId, setCityId] = useState(params?.query?.twin ?? null);
  const [city, setCity] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('connecting');
  const [vehicles, setVehicles] = useState(null); // the city's latest "vehicles" telemetry, as a frame
  const [mode, setMode] = useState('speed');
  const [runs, setRuns] = useState([]);
  const [runId, setRunId] = useState(params?.query?.run ?? '');
  const [replay, setReplay] = useState(null); // { run, scenarios }
  const [scenario, setScenario] = useState(0);
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const cityRef = useRef(null);

  useEffect(() => {
    api.query(`SELECT $dtId, name FROM DIGITALTWINS WHERE IS_OF_MODEL(${quote(CITY_MODEL)})`, { signal })
      .then(({ rows }) => {
        rows.sort((a, b) => a.$dtId.localeCompare(b.$dtId));
        setCities(rows);
        if (cityId === null) setCityId(rows[0]?.$dtId ?? '');
      })
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
    api.list(api.url('/doppel/runs'), { signal })
      .then(list => setRuns(list.filter(r => r.status === 'succeeded' && r.kind === 'scenario')))
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, []);

  // The city read when the stream opens (so nothing written before is missed), then kept by the events' patches.
  useEffect(() => {
    if (cityId === null) return undefined;
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal?.addEventListener('abort', abort);
    let vehiclesAt = -Infinity;
    const showVehicles = (list, time) => {
      // Events may overtake the first read: an older frame never replaces a newer one.
      const at = Date.parse(time);
      if (stop.signal.aborted || !Number.isFinite(at) || at < vehiclesAt) return;
      const next = liveFrame(list, time);
      if (!next) return;
      vehiclesAt = at;
      setVehicles(next);
    };
    const read = () => {
      readCity(api, cityId || null, stop.signal)
        .then(value => { cityRef.current = value; setCity(value); })
        .catch(e => { if (e.name !== 'AbortError') setError(e); });
      if (cityId) {
        api.get(api.url(`/doppel/twins/${encodeURIComponent(cityId)}/live`), { signal: stop.signal })
          .then(latest => showVehicles(latest?.telemetry?.vehicles?.value, latest?.telemetry?.vehicles?.sourceTime))
          .catch(e => { if (e.name !== 'AbortError') setError(e); });
      }
    };
    const onTelemetry = event => {
      if (event.type === 'microsoft.iot.telemetry' && event.subject === cityId) showVehicles(event.data?.vehicles, event.time);
    };
    const onEvent = event => {
      const current = cityRef.current;
      if (stop.signal.aborted || !current || !event.type?.endsWith('Twin.Update')) return;
      const id = event.subject;
      for (const kind of ['roads', 'signals']) {
        const twin = current[kind].get(id);
        if (!twin) continue;
        const next = { ...current, [kind]: new Map(current[kind]) };
        const changed = patched(twin, event.data?.patch);
        if (kind === 'roads') changed.points = changed.shape === twin.shape ? twin.points : parseShape(changed.shape);
        next[kind].set(id, changed);
        cityRef.current = next;
        setCity(next);
      }
    };
    const opened = new Set();
    const streams = cityId ? 3 : 2;
    const status = name => value => {
      if (value === 'open') opened.add(name); else opened.delete(name);
      setLive(opened.size === streams ? 'open' : value === 'open' ? 'connecting' : value);
      if (value === 'open' && opened.size === streams) read();
    };
    setVehicles(null);
    const subscriptions = [
      subscribeEvents({ model: ROAD_MODEL, types: ['twin'] }, { onEvent, onStatus: status('roads'), onError: setError }),
      subscribeEvents({ model: SIGNAL_MODEL, types: ['twin'] }, { onEvent, onStatus: status('signals'), onError: setError }),
      // The city's vehicles: its own telemetry (the live replay publishes a frame of every vehicle on the road).
      ...(cityId ? [subscribeEvents({ twinIds: [cityId], types: ['telemetry'] }, { onEvent: onTelemetry, onStatus: status('vehicles'), onError: setError })] : []),
    ];
    return () => {
      stop.abort();
      subscriptions.forEach(s => s.close());
      signal?.removeEventListener('abort', abort);
    };
  }, [cityId]);

  // A run's frames, when one is chosen.
  useEffect(() => {
    setPlaying(false);
    setIndex(0);
    setScenario(0);
    if (!runId) { setReplay(null); return; }
    api.get(api.url(`/doppel/runs/${encodeURIComponent(runId)}`), { signal })
      .then(run => setReplay({ run, scenarios: scenariosWithFrames(run) }))
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, [runId]);

  const frames = replay?.scenarios[scenario]?.frames ?? [];
  useEffect(() => {
    if (!playing || frames.length === 0) return undefined;
    const timer = setInterval(() => setIndex(i => (i + 1 < frames.length ? i + 1 : i)), 1000 / FRAMES_PER_SECOND);
    return () => clearInterval(timer);
  }, [playing, frames]);
  useEffect(() => { if (playing && index >= frames.length - 1) setPlaying(false); }, [index, playing, frames]);

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (cities && cities.length === 0 && !cityId) {
    return html`<p data-testid="no-city">No city (${CITY_MODEL}) here: load the sample with <code>doppel samples load city</code>, or make twins of a SUMO network with <code>doppel traffic twins NET.net.xml</code>.</p>`;
  }
  const frame = replay && frames.length > 0 ? frames[Math.min(index, frames.length - 1)] : null;
  return html`
    <section class="city" data-testid="map-page" data-city=${cityId ?? ''}>
      <header class="page-header">
        <h1>City map ${cityId ?? ''}</h1>
        ${cities && cities.length > 1 && html`
          <select aria-label="city" value=${cityId} onChange=${e => setCityId(e.currentTarget.value)}>
            ${cities.map(c => html`<option value=${c.$dtId}>${c.name ?? c.$dtId}</option>`)}
          </select>`}
        <span class="badge" data-testid="live-status" data-status=${live}>${live}</span>
      </header>
      <div class="toolbar" style="display:flex;gap:1em;align-items:center;flex-wrap:wrap;margin-bottom:0.5em">
        <label>Colour by <select aria-label="colour by" data-testid="colour-mode" value=${mode} onChange=${e => setMode(e.currentTarget.value)} disabled=${Boolean(frame)}>
          <option value="speed">live speed</option><option value="flow">live flow</option>
        </select></label>
        <label>What-if run <select aria-label="run" data-testid="run-select" value=${runId} onChange=${e => setRunId(e.currentTarget.value)}>
          <option value="">none (live)</option>
          ${[...new Set([...runs.map(r => r.id), ...(runId ? [runId] : [])])].map(id => html`<option value=${id}>${id}</option>`)}
        </select></label>
        ${replay && replay.scenarios.length === 0 && html`<span class="muted" data-testid="no-frames">Run ${runId} has no frames: ask a traffic scenario with "frames": SECONDS.</span>`}
        ${replay && replay.scenarios.length > 1 && html`<select aria-label="scenario" data-testid="scenario-select" value=${scenario} onChange=${e => { setScenario(Number(e.currentTarget.value)); setIndex(0); }}>
          ${replay.scenarios.map((s, k) => html`<option value=${k}>${s.name}</option>`)}
        </select>`}
        ${!frame && vehicles && html`<span data-testid="live-vehicles" data-time=${vehicles.time} data-count=${vehicles.vehicles.length}>${vehicles.vehicles.length} vehicles live at ${new Date(vehicles.time).toLocaleTimeString()}</span>`}
        ${frame && html`
          <button type="button" data-testid="play" onClick=${() => { if (index >= frames.length - 1) setIndex(0); setPlaying(!playing); }}>${playing ? 'Pause' : 'Play'}</button>
          <input type="range" aria-label="time" data-testid="frame-slider" min="0" max=${frames.length - 1} value=${index} onInput=${e => { setPlaying(false); setIndex(Number(e.currentTarget.value)); }} />
          <span data-testid="frame-time" data-index=${index} data-time=${frame.time}>t = ${frame.time} s, ${frame.vehicles.length} vehicles</span>`}
      </div>
      ${!city ? html`<p>Reading the city…</p>` : city.roads.size === 0
        ? html`<p data-testid="no-roads">The city ${cityId} has no roads (${ROAD_MODEL}).</p>`
        : html`<${Map_} city=${city} frame=${frame} live=${vehicles} mode=${mode} /><${Legend} mode=${mode} frame=${frame} />`}
    </section>`;
}
