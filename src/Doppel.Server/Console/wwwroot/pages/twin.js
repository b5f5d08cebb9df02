// One twin: its properties (editable with its etag), relationships, live telemetry charts fed by the event stream, and
// history charts with range, aggregate and bucket pickers, and CSV/Parquet export.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { auth, useAuth } from '../lib/auth.js';
import { HistoryChart, LiveChart } from '../lib/charts.js';
import { numericLeaves, subscribeEvents } from '../lib/events.js';
import { Badge, ErrorBox, Field, Loading, Table, TimeRangePicker, formatTime, formatValue, href, html, resolveRange, useAsync } from '../lib/ui.js';
import { kindOf, modelIndex, schemaText } from './models.js';

const NUMERIC = new Set(['double', 'float', 'integer', 'long', 'boolean']);
let modelsCache = null;

/** Every model with its definition, loaded once per sign-in for the pages that need contents (shared, cached 60 s). */
export function loadModels(signal) {
  const now = Date.now();
  if (!modelsCache || modelsCache.at < now - 60000 || modelsCache.subject !== auth.state.me?.subject) {
    const promise = api.list(api.adt('/models', { includeModelDefinition: true }));
    modelsCache = { at: now, subject: auth.state.me?.subject, promise };
    promise.catch(() => { modelsCache = null; });
  }
  return signal ? Promise.race([modelsCache.promise, new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))]) : modelsCache.promise;
}

/** A model's contents with its ancestors', each name once (the nearest declaration wins). */
export function contentsOf(index, modelId) {
  const seen = new Map();
  const visit = (id, depth) => {
    const m = index.get(id);
    if (!m || depth > 20) return;
    for (const c of [].concat(m.model?.contents ?? [])) if (!seen.has(c.name)) seen.set(c.name, c);
    for (const p of m.parents) visit(p, depth + 1);
  };
  visit(modelId, 0);
  return [...seen.values()];
}

/** True when the model is modelId or extends it. */
function isOfModel(index, model, modelId, depth = 0) {
  if (model === modelId) return true;
  if (depth > 20) return false;
  return (index.get(model)?.parents ?? []).some((p) => isOfModel(index, p, modelId, depth + 1));
}

/** A value typed in an input, as the schema wants it. Throws with a reason when it does not fit. */
export function parseValue(text, schema) {
  const s = typeof schema === 'string' ? schema : null;
  if (s === 'double' || s === 'float') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`'${text}' is not a number.`);
    return n;
  }
  if (s === 'integer' || s === 'long') {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new Error(`'${text}' is not a whole number.`);
    return n;
  }
  if (s === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new Error('Type true or false.');
    return text === 'true';
  }
  if (s === 'string' || s === 'date' || s === 'dateTime' || s === 'time' || s === 'duration') return text;
  try { return JSON.parse(text); } catch { throw new Error('Type a JSON value (for an object, enum or map).'); }
}

function editText(value) {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Properties({ twin, etag, contents, onSaved, onFresh }) {
  const { me } = useAuth();
  const canWrite = auth.can('properties', 'write');
  const [editing, setEditing] = useState(null); // { name, text, etag (the one the edit started from) }
  const [error, setError] = useState(null);
  const [conflict, setConflict] = useState(null); // { name, mine, fresh, etag }
  const [saved, setSaved] = useState(null);
  const declared = contents.filter((c) => kindOf(c) === 'Property');
  const names = [...new Set([...declared.map((c) => c.name), ...Object.keys(twin).filter((k) => !k.startsWith('$'))])];
  const rows = names.map((name) => {
    const content = declared.find((c) => c.name === name);
    return { name, value: twin[name], content, writable: Boolean(content?.writable), time: twin.$metadata?.[name]?.lastUpdateTime, component: kindOf(content ?? {}) === 'Component' };
  });

  const save = async (name, text, ifMatch) => {
    setError(null);
    setSaved(null);
    const content = declared.find((c) => c.name === name);
    let value;
    try {
      value = parseValue(text, content?.schema);
    } catch (e) {
      setError({ code: 'InvalidArgument', message: `${name}: ${e.message}` });
      return;
    }
    const op = twin[name] === undefined ? 'add' : 'replace';
    try {
      const result = await api.send('PATCH', api.adt(`/digitaltwins/${encodeURIComponent(twin.$dtId)}`), {
        body: [{ op, path: `/${name}`, value }],
        headers: { 'If-Match': ifMatch },
      });
      setEditing(null);
      setConflict(null);
      setSaved({ name, etag: result.etag });
      onSaved(result.etag);
    } catch (e) {
      if (e.status === 412) {
        // Someone changed the twin since the edit began: show their value beside ours, and let the user choose.
        const fresh = await onFresh();
        setConflict({ name, mine: text, fresh: fresh?.data?.[name], etag: fresh?.etag });
      } else {
        setError(e);
      }
    }
  };

  return html`<section class="properties" data-testid="properties">
    <h2>Properties</h2>
    ${!canWrite ? html`<p class="muted" data-testid="read-only">Read only: ${me?.subject} may not change properties.</p>` : null}
    <${ErrorBox} error=${error} />
    ${conflict ? html`<div class="error-box" role="alert" data-testid="conflict">
      <strong>Changed by someone else</strong> <span class="muted">(HTTP 412: the twin's etag moved on while you edited)</span>
      <div class="error-message"><code>${conflict.name}</code> is now <strong data-testid="fresh-value">${formatValue(conflict.fresh)}</strong>; yours was <strong>${conflict.mine}</strong>.</div>
      <div class="toolbar">
        <button type="button" onClick=${() => save(conflict.name, conflict.mine, conflict.etag)}>Save mine over it</button>
        <button type="button" onClick=${() => { setConflict(null); setEditing(null); }}>Keep theirs</button>
      </div>
    </div>` : null}
    ${saved ? html`<div class="notice" role="status" data-testid="saved">Saved <code>${saved.name}</code>; the twin's etag is now <code>${saved.etag}</code>.</div>` : null}
    <${Table} rows=${rows} rowKey=${(r) => r.name} empty="No properties." columns=${[
      { key: 'name', title: 'Name', render: (r) => html`<code>${r.name}</code>${r.content ? html` <span class="muted">${schemaText(r.content.schema)}</span>` : ''}` },
      {
        key: 'value', title: 'Value', render: (r) => (editing?.name === r.name
          ? html`<form class="inline-edit" onSubmit=${(e) => { e.preventDefault(); save(r.name, editing.text, editing.etag); }}>
              <input type="text" aria-label=${`New value of ${r.name}`} name=${`edit-${r.name}`} value=${editing.text} onInput=${(e) => setEditing({ ...editing, text: e.target.value })} autofocus />
              <button type="submit" class="primary">Save</button>
              <button type="button" onClick=${() => setEditing(null)}>Cancel</button>
            </form>`
          : html`<span data-testid=${`value-${r.name}`}>${formatValue(r.value)}</span>`),
      },
      { key: 'time', title: 'Updated', render: (r) => formatTime(r.time) },
      {
        key: 'edit', title: '', render: (r) => (canWrite && r.writable && editing?.name !== r.name
          ? html`<button type="button" class="link" aria-label=${`Edit ${r.name}`} onClick=${() => { setError(null); setSaved(null); setEditing({ name: r.name, text: editText(r.value), etag }); }}>Edit</button>`
          : null),
      },
    ]} />
    <p class="muted">etag <code data-testid="etag">${etag}</code></p>
  </section>`;
}

function Relationships({ id }) {
  const outgoing = useAsync((signal) => api.list(api.adt(`/digitaltwins/${encodeURIComponent(id)}/relationships`), { signal }), [id]);
  const incoming = useAsync((signal) => api.list(api.adt(`/digitaltwins/${encodeURIComponent(id)}/incomingrelationships`), { signal }), [id]);
  const list = (state, columns, empty) => (state.loading && !state.data ? html`<${Loading} />`
    : state.error ? html`<${ErrorBox} error=${state.error} />`
      : html`<${Table} rows=${state.data} rowKey=${(r) => `${r.$sourceId}/${r.$relationshipId}`} empty=${empty} columns=${columns} />`);
  return html`<section class="relationships" data-testid="relationships">
    <h2>Relationships</h2>
    <div class="grid-2">
      <div><h3>Outgoing</h3>${list(outgoing, [
        { key: '$relationshipName', title: 'Name' },
        { key: '$targetId', title: 'To', render: (r) => html`<a href=${href('twins', r.$targetId)}>${r.$targetId}</a>` },
        { key: '$relationshipId', title: 'Id' },
      ], 'None.')}</div>
      <div><h3>Incoming</h3>${list(incoming, [
        { key: '$sourceId', title: 'From', render: (r) => html`<a href=${href('twins', r.$sourceId)}>${r.$sourceId}</a>` },
        { key: '$relationshipName', title: 'Name' },
        { key: '$relationshipId', title: 'Id' },
      ], 'None.')}</div>
    </div>
  </section>`;
}

/** Live charts: one per numeric telemetry name (the model's, and any the stream brings), fed by the event stream. */
function Live({ id, telemetry }) {
  const [names, setNames] = useState(telemetry);
  const [status, setStatus] = useState('connecting');
  const [error, setError] = useState(null);
  const charts = useRef(new Map());
  const pending = useRef(new Map()); // points that came before their chart existed
  useEffect(() => setNames((current) => [...new Set([...telemetry, ...current])]), [telemetry.join(',')]);
  useEffect(() => {
    let stream = null;
    let closed = false;
    const last = new Map(); // newest time per series, so points stay in time order
    const add = (name, time, value) => {
      if (time <= (last.get(name) ?? -Infinity)) return;
      last.set(name, time);
      const chart = charts.current.get(name);
      if (chart) {
        chart.push(time, value);
      } else {
        const queue = pending.current.get(name) ?? [];
        queue.push([time, value]);
        pending.current.set(name, queue.slice(-1200));
        setNames((current) => (current.includes(name) ? current : [...current, name]));
      }
    };
    (async () => {
      // The last minute from history first, so the charts open with their recent past; then the stream.
      try {
        const points = await api.list(api.url(`/doppel/history/twins/${encodeURIComponent(id)}`, { from: new Date(Date.now() - 60000).toISOString() }), { max: 5000 });
        for (const p of points) if (p.kind === 'telemetry' && typeof p.value === 'number') add(p.name, Date.parse(p.time), p.value);
      } catch { /* no history rights or none yet: live points only */ }
      if (closed) return;
      stream = subscribeEvents({ twinIds: [id], types: ['telemetry'] }, {
        onStatus: setStatus,
        onError: setError,
        onEvent: (event) => {
          const time = Date.parse(event.time) || Date.now();
          const prefix = event.subject && event.subject !== id && event.subject.startsWith(`${id}/components/`) ? `${event.subject.slice(id.length + 12)}.` : '';
          for (const [name, value] of numericLeaves(event.data)) add(prefix + name, time, value);
        },
      });
    })();
    return () => { closed = true; stream?.close(); };
  }, [id]);
  const ready = (name) => (chart) => {
    charts.current.set(name, chart);
    for (const [time, value] of pending.current.get(name) ?? []) chart.push(time, value);
    pending.current.delete(name);
  };
  return html`<section class="live" data-testid="live">
    <h2>Live telemetry <${Badge} kind=${status === 'open' ? 'ok' : status === 'closed' ? 'danger' : 'warn'}>${status}<//></h2>
    <${ErrorBox} error=${error} />
    ${names.length ? html`<div class="charts">${names.map((name) => html`<${LiveChart} key=${name} title=${name} series=${[name]} onReady=${ready(name)} data-name=${name} />`)}</div>`
      : html`<p class="empty">No telemetry yet: charts appear as readings arrive.</p>`}
  </section>`;
}

const BUCKETS = ['auto', '1s', '10s', '1m', '5m', '15m', '1h', '6h', '1d'];
const AGGREGATES = ['avg', 'min', 'max', 'sum', 'count', 'first', 'last', 'stddev'];

/** A bucket that gives about 200 points over the range, rounded to a readable size. */
export function autoBucket(from, to) {
  const seconds = Math.max(1, (to - from) / 1000 / 200);
  const sizes = [[1, '1s'], [5, '5s'], [10, '10s'], [30, '30s'], [60, '1m'], [300, '5m'], [900, '15m'], [1800, '30m'], [3600, '1h'], [21600, '6h'], [86400, '1d'], [604800, '7d']];
  return (sizes.find(([s]) => s >= seconds) ?? sizes[sizes.length - 1])[1];
}

function History({ id, names }) {
  const [range, setRange] = useState({ preset: '1h' });
  const [mode, setMode] = useState('aggregate');
  const [aggregates, setAggregates] = useState(['avg', 'min', 'max']);
  const [bucket, setBucket] = useState('auto');
  const [chosen, setChosen] = useState(names.slice(0, 4));
  const [tick, setTick] = useState(0);
  const [exporting, setExporting] = useState(null);
  useEffect(() => { if (!chosen.length) setChosen(names.slice(0, 4)); }, [names.join(',')]);
  const { from, to } = useMemo(() => resolveRange(range), [range, tick]);
  const size = bucket === 'auto' ? autoBucket(from, to) : bucket;
  const data = useAsync(async (signal) => {
    if (!chosen.length) return [];
    const query = { from: from.toISOString(), to: to.toISOString(), names: chosen.join(',') };
    if (mode === 'raw') {
      const points = await api.list(api.url(`/doppel/history/twins/${encodeURIComponent(id)}`, query), { signal, max: 50000 });
      return chosen.map((name) => {
        const mine = points.filter((p) => p.name === name && typeof p.value === 'number');
        return { name, series: [name], data: [mine.map((p) => Date.parse(p.time) / 1000), mine.map((p) => p.value)], count: mine.length };
      });
    }
    const chosenAggregates = aggregates.length ? aggregates : ['avg'];
    const result = await api.get(api.url('/doppel/history/aggregates', { ...query, twinIds: id, bucket: size, aggregates: chosenAggregates.join(',') }), { signal });
    return chosen.map((name) => {
      const rows = result.value.filter((r) => r.name === name);
      return { name, series: chosenAggregates, data: [rows.map((r) => Date.parse(r.start) / 1000), ...chosenAggregates.map((a) => rows.map((r) => r[a] ?? null))], count: rows.length };
    });
  }, [id, from.getTime(), to.getTime(), mode, aggregates.join(','), size, chosen.join(',')]);

  const download = async (format) => {
    setExporting({ format });
    try {
      const file = await api.download(api.url('/doppel/history/export', { format, twinIds: id, names: chosen.join(','), from: from.toISOString(), to: to.toISOString() }), `${id}.${format}`);
      setExporting({ format, done: file });
    } catch (e) {
      setExporting({ format, error: e });
    }
  };
  const toggle = (list, set, value) => set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  return html`<section class="history" data-testid="history">
    <h2>History</h2>
    <div class="panel">
      <div class="row">
        <${Field} label="Range"><${TimeRangePicker} value=${range} onChange=${setRange} /><//>
        <${Field} label="Points">
          <select aria-label="Points" value=${mode} onChange=${(e) => setMode(e.target.value)}>
            <option value="aggregate">Aggregated per bucket</option>
            <option value="raw">Raw points</option>
          </select>
        <//>
        ${mode === 'aggregate' ? html`<${Field} label="Bucket">
          <select aria-label="Bucket" value=${bucket} onChange=${(e) => setBucket(e.target.value)}>
            ${BUCKETS.map((b) => html`<option value=${b}>${b === 'auto' ? `auto (${autoBucket(from, to)})` : b}</option>`)}
          </select><//>` : null}
        <button type="button" onClick=${() => setTick(tick + 1)}>Refresh</button>
        <span class="spacer"></span>
        <button type="button" onClick=${() => download('csv')} data-testid="export-csv">Export CSV</button>
        <button type="button" onClick=${() => download('parquet')} data-testid="export-parquet">Export Parquet</button>
      </div>
      ${mode === 'aggregate' ? html`<div class="toolbar" role="group" aria-label="Aggregates">Aggregates:
        ${AGGREGATES.map((a) => html`<label><input type="checkbox" checked=${aggregates.includes(a)} onChange=${() => toggle(aggregates, setAggregates, a)} /> ${a}</label>`)}</div>` : null}
      <div class="toolbar" role="group" aria-label="Series">Series:
        ${names.length ? names.map((n) => html`<label><input type="checkbox" checked=${chosen.includes(n)} onChange=${() => toggle(chosen, setChosen, n)} /> ${n}</label>`) : html`<span class="muted">this twin's model has no numeric telemetry or properties</span>`}
      </div>
      ${exporting?.error ? html`<${ErrorBox} error=${exporting.error} />` : exporting?.done ? html`<div class="notice" data-testid="exported">Downloaded ${exporting.done.name} (${exporting.done.size} bytes).</div>` : exporting ? html`<p class="muted">Exporting ${exporting.format}…</p>` : null}
    </div>
    ${data.error ? html`<${ErrorBox} error=${data.error} onRetry=${data.reload} />` : data.loading && !data.data ? html`<${Loading} />` : html`<div class="charts">
      ${(data.data ?? []).map((chart) => html`<div key=${chart.name}>
        <${HistoryChart} title=${`${chart.name} (${chart.count} ${mode === 'raw' ? `point${chart.count === 1 ? '' : 's'}` : `bucket${chart.count === 1 ? '' : 's'} of ${size}`})`} series=${chart.series} data=${chart.data}
          range=${[from.getTime() / 1000, to.getTime() / 1000]} data-name=${chart.name} data-count=${chart.count} />
      </div>`)}
    </div>`}
  </section>`;
}

const TABS = [['overview', 'Properties and relationships'], ['live', 'Live'], ['history', 'History']];

export default function TwinPage({ params }) {
  const id = params.id;
  // History needs read access to telemetry: without it the tab is not offered (the API would refuse it anyway).
  const tabs = TABS.filter(([t]) => t !== 'history' || auth.can('telemetry', 'read'));
  const tab = tabs.some(([t]) => t === params.query.tab) ? params.query.tab : 'overview';
  const twin = useAsync((signal) => api.getWithEtag(api.adt(`/digitaltwins/${encodeURIComponent(id)}`), { signal }), [id]);
  const models = useAsync((signal) => loadModels(signal), []);
  const index = useMemo(() => (models.data ? modelIndex(models.data) : null), [models.data]);
  const modelId = twin.data?.data?.$metadata?.$model;
  const contents = useMemo(() => (index && modelId ? contentsOf(index, modelId) : []), [index, modelId]);
  const telemetry = contents.filter((c) => kindOf(c) === 'Telemetry' && NUMERIC.has(c.schema)).map((c) => c.name);
  const numericProperties = contents.filter((c) => kindOf(c) === 'Property' && NUMERIC.has(c.schema)).map((c) => c.name);
  const packPages = (params.packPages ?? []).filter((p) => p.modelId && index && modelId && isOfModel(index, modelId, p.modelId));

  // Properties follow the twin as it changes (a reading of a reported property, another user's edit), at most once a second.
  const refresh = useRef(0);
  useEffect(() => {
    if (!twin.data) return undefined;
    const stream = subscribeEvents({ twinIds: [id], types: ['twin'] }, {
      onEvent: (event) => {
        if (event.type === 'Microsoft.DigitalTwins.Twin.Delete') { twin.reload(); return; }
        if (refresh.current) return;
        refresh.current = setTimeout(async () => {
          refresh.current = 0;
          try { twin.setData(await api.getWithEtag(api.adt(`/digitaltwins/${encodeURIComponent(id)}`))); } catch { /* shown on the next load */ }
        }, 1000);
      },
    });
    return () => { stream.close(); clearTimeout(refresh.current); refresh.current = 0; };
  }, [id, Boolean(twin.data)]);

  const fresh = async () => {
    const latest = await api.getWithEtag(api.adt(`/digitaltwins/${encodeURIComponent(id)}`));
    twin.setData(latest);
    return latest;
  };
  if (twin.loading && !twin.data) return html`<section class="page"><h1>${id}</h1><${Loading} /></section>`;
  if (twin.error) return html`<section class="page"><h1>${id}</h1><${ErrorBox} error=${twin.error} onRetry=${twin.reload} /></section>`;
  const doc = twin.data.data;
  return html`<section class="page twin-page" data-twin=${id}>
    <p class="muted"><a href="#/twins">Twins</a> /</p>
    <h1>${id}</h1>
    <p>Model <a href=${href('models', modelId)}>${modelId}</a>
      ${packPages.map((p) => html` · <a href=${`#/${p.path}?twin=${encodeURIComponent(id)}`}>${p.title}</a>`)}</p>
    <nav class="tabs">${tabs.map(([t, title]) => html`<a href=${`#/twins/${encodeURIComponent(id)}${t === 'overview' ? '' : `?tab=${t}`}`} class=${t === tab ? 'active' : ''}>${title}</a>`)}</nav>
    ${tab === 'overview' ? html`
      <${Properties} twin=${doc} etag=${twin.data.etag} contents=${contents} onFresh=${fresh}
        onSaved=${(etag) => { fresh().catch(() => twin.setData((d) => ({ ...d, etag }))); }} />
      <${Relationships} id=${id} />` : null}
    ${tab === 'live' ? html`<${Live} id=${id} telemetry=${telemetry} />` : null}
    ${tab === 'history' ? html`<${History} id=${id} names=${[...telemetry, ...numericProperties]} />` : null}
  </section>`;
}

