// Simulation: the runs (/doppel/runs) with live progress (each unfinished run followed on /doppel/runs/{id}/events),
// launching a fork of a live twin into what-ifs (POST /doppel/scenarios, a form built from the pack's scenario kind) or
// a scenario file (POST /doppel/experiments, optionally its optimize section), cancelling, and a run's results: KPI
// tables with 95% intervals, comparisons with the baseline, a chart of a KPI with its intervals, optimizer reports.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { currentToken, url } from '../lib/api.js';
import { auth } from '../lib/auth.js';
import { ErrorBox, html } from '../lib/ui.js';

const UNFINISHED = ['queued', 'running', 'cancelling'];
const RUN_KEYS = ['duration', 'warmup', 'replications', 'seed'];

const number = (value, digits = 4) => (typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(digits)).toString() : '–');
const interval = kpi => (kpi ? `${number(kpi.mean)} ± ${number(kpi.halfWidth, 3)}` : '–');
const signed = value => (typeof value === 'number' ? (value > 0 ? '+' : '') + number(value) : '–');
const percent = value => (typeof value === 'number' ? `${value > 0 ? '+' : ''}${value.toFixed(1)}%` : '–');
const when = text => (text ? new Date(text).toLocaleString() : '');
const quote = text => `'${String(text).replaceAll("'", "\\'")}'`;

export default function SimulationPage({ params, api, signal }) {
  const [packs, setPacks] = useState([]);
  const [runs, setRuns] = useState([]);
  const [selected, setSelected] = useState(params?.id ?? null);
  const [error, setError] = useState(null);
  const followed = useRef(new Map());

  const upsert = run => setRuns(list => {
    const index = list.findIndex(r => r.id === run.id);
    if (index < 0) return [...list, run];
    // A finished run stays finished: an answer sent earlier (the cancel's 'cancelling') may arrive after the stream's last state.
    if (!UNFINISHED.includes(list[index].status) && UNFINISHED.includes(run.status)) return list;
    const copy = list.slice();
    copy[index] = { ...copy[index], ...run };
    return copy;
  });

  // A run still going is followed on its own event stream (the credential as access_token: an EventSource cannot
  // set headers) and closed at its last state, before the server ends the stream and the browser would reconnect.
  const track = run => {
    if (!UNFINISHED.includes(run.status) || followed.current.has(run.id)) return;
    const source = new EventSource(url(`/doppel/runs/${encodeURIComponent(run.id)}/events`, { access_token: currentToken() }));
    followed.current.set(run.id, source);
    const done = () => { source.close(); followed.current.delete(run.id); };
    source.addEventListener('run', message => {
      const state = JSON.parse(message.data);
      upsert(state);
      if (!UNFINISHED.includes(state.status)) done();
    });
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
      done();
      api.get(`/doppel/runs/${encodeURIComponent(run.id)}`, { signal }).then(upsert, e => { if (e.name !== 'AbortError') setError(e); });
    };
  };

  useEffect(() => {
    Promise.all([api.list('/doppel/packs', { signal }), api.list('/doppel/runs', { signal })])
      .then(([packList, runList]) => {
        setPacks(packList);
        setRuns(runList);
        runList.forEach(track);
      })
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
    return () => { followed.current.forEach(source => source.close()); followed.current.clear(); };
  }, []);

  const launched = run => { upsert(run); track(run); setSelected(run.id); };

  const cancel = async id => {
    try { upsert(await api.post(`/doppel/runs/${encodeURIComponent(id)}/cancel`, undefined, { signal })); } catch (e) { setError(e); }
  };

  // Starting or cancelling a run needs write access to simulations; a fork reads every twin it names (the API checks both).
  const mayRun = auth.can('simulations', 'write');
  const newestFirst = [...runs].sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''));
  const current = runs.find(r => r.id === selected);
  return html`
    <section class="simulation" data-testid="simulation-page">
      <h1>Simulation</h1>
      <${ErrorBox} error=${error} onRetry=${error ? () => setError(null) : null} />
      ${mayRun
        ? html`<${Launch} api=${api} signal=${signal} packs=${packs} initial=${params?.query ?? {}} onLaunched=${launched} onError=${setError} />`
        : html`<p class="muted" data-testid="read-only">You may read runs here; starting one needs write access to simulations.</p>`}
      <h2>Runs</h2>
      ${newestFirst.length === 0 ? html`<p>No runs yet.</p>` : html`
        <table class="table" data-testid="runs">
          <thead><tr><th>run</th><th>kind</th><th>status</th><th>progress</th><th>created</th><th></th></tr></thead>
          <tbody>${newestFirst.map(run => html`
            <tr data-run=${run.id} data-status=${run.status} class=${run.id === selected ? 'selected' : ''}>
              <td><a href="#" onClick=${e => { e.preventDefault(); setSelected(run.id); }}>${run.id}</a></td>
              <td>${run.kind}</td>
              <td>${run.status}${run.error ? html`: <span class="error-text">${run.error.message}</span>` : ''}</td>
              <td><progress max=${run.progress?.total || 1} value=${run.progress?.completed ?? 0}></progress> ${run.progress?.completed ?? 0} / ${run.progress?.total ?? 0}</td>
              <td>${when(run.createdDateTime)}</td>
              <td>${mayRun && UNFINISHED.includes(run.status) && run.status !== 'cancelling'
                ? html`<button data-testid="cancel" onClick=${() => cancel(run.id)}>Cancel</button>` : ''}</td>
            </tr>`)}
          </tbody>
        </table>`}
      ${current && html`<${RunDetails} key=${current.id + current.status} api=${api} signal=${signal} run=${current} packs=${packs} />`}
    </section>`;
}

/** Launching: a fork of a live twin with what-ifs, or a scenario file. */
function Launch({ api, signal, packs, initial, onLaunched, onError }) {
  const [mode, setMode] = useState('fork');
  return html`
    <div class="panel launch" data-testid="launch">
      <div role="tablist" class="tabs">
        <a href="#" role="tab" aria-selected=${mode === 'fork'} class=${mode === 'fork' ? 'active' : ''} onClick=${e => { e.preventDefault(); setMode('fork'); }}>What-if on a live twin</a>
        <a href="#" role="tab" aria-selected=${mode === 'file'} class=${mode === 'file' ? 'active' : ''} onClick=${e => { e.preventDefault(); setMode('file'); }}>Scenario file</a>
      </div>
      ${mode === 'fork'
        ? html`<${ForkForm} api=${api} signal=${signal} packs=${packs} initial=${initial} onLaunched=${onLaunched} onError=${onError} />`
        : html`<${FileForm} api=${api} signal=${signal} packs=${packs} onLaunched=${onLaunched} onError=${onError} />`}
    </div>`;
}

/**
 * A fork, built from the scenario kind's description in /doppel/packs: the twin of its model, its run defaults, what-ifs.
 * #/simulation?kind=line&twin=line-1 (a pack page's link) chooses both.
 */
function ForkForm({ api, signal, packs, initial, onLaunched, onError }) {
  const kinds = useMemo(() => packs.flatMap(p => p.scenarioKinds.map(k => ({ ...k, pack: p.name }))), [packs]);
  const [kindName, setKindName] = useState(initial.kind ?? null);
  const kind = kinds.find(k => k.name === kindName) ?? kinds[0];
  const [twins, setTwins] = useState([]);
  const [twin, setTwin] = useState('');
  const [name, setName] = useState('');
  const [run, setRun] = useState({});
  const [start, setStart] = useState('now');
  const [at, setAt] = useState('');
  const [whatIfs, setWhatIfs] = useState([{ name: 'what-if-1', changes: '{}' }]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!kind) return;
    // A kind chosen while the previous kind's twins are still being read: that late answer must not replace these.
    let current = true;
    setRun(Object.fromEntries(RUN_KEYS.map(k => [k, kind.run?.[k] ?? ''])));
    api.query(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(${quote(kind.twinModel)})`, { signal })
      .then(({ rows }) => {
        if (!current) return;
        setTwins(rows.map(t => t.$dtId));
        setTwin(rows.some(t => t.$dtId === initial.twin) ? initial.twin : rows[0]?.$dtId ?? '');
      })
      .catch(e => { if (current && e.name !== 'AbortError') onError(e); });
    return () => { current = false; };
  }, [kind?.name, kind?.pack]);

  if (kinds.length === 0) return html`<p>No pack forks twins here.</p>`;

  const submit = async e => {
    e.preventDefault();
    const request = { kind: kind.name, twin };
    if (name.trim()) request.name = name.trim();
    const settings = {};
    for (const key of RUN_KEYS) {
      if (run[key] !== '' && run[key] !== undefined) settings[key] = Number(run[key]);
    }
    request.run = settings;
    if (start === 'empty') request.fromLiveState = false;
    if (start === 'at') request.at = new Date(at).toISOString();
    const whatIf = {};
    for (const item of whatIfs) {
      if (!item.name.trim()) continue;
      try {
        whatIf[item.name.trim()] = JSON.parse(item.changes || '{}');
      } catch (problem) {
        onError({ message: `What-if '${item.name}': not JSON (${problem.message}).` });
        return;
      }
    }
    if (Object.keys(whatIf).length > 0) request.whatIf = whatIf;
    setBusy(true);
    try {
      onLaunched(await api.post('/doppel/scenarios?wait=false', request, { signal }));
    } catch (problem) {
      onError(problem);
    } finally {
      setBusy(false);
    }
  };

  const setWhatIf = (i, field, value) => setWhatIfs(list => list.map((w, j) => (j === i ? { ...w, [field]: value } : w)));
  return html`
    <form class="form" data-testid="fork-form" onSubmit=${submit}>
      <p class="hint">${kind.description}</p>
      <label>Kind <select name="kind" value=${kind.name} onChange=${e => setKindName(e.currentTarget.value)}>
        ${kinds.map(k => html`<option value=${k.name}>${k.name} (${k.pack})</option>`)}</select></label>
      <label>Twin <select name="twin" value=${twin} onChange=${e => setTwin(e.currentTarget.value)}>
        ${twins.map(id => html`<option value=${id}>${id}</option>`)}</select></label>
      <label>Run name <input name="name" value=${name} placeholder="(a new id)" onInput=${e => setName(e.currentTarget.value)} /></label>
      <fieldset class="row"><legend>Run</legend>
        ${RUN_KEYS.map(key => html`<label>${key} <input name=${key} type="number" step="any" size="8" style="width: 8rem;" value=${run[key] ?? ''} onInput=${e => setRun({ ...run, [key]: e.currentTarget.value })} /></label>`)}
      </fieldset>
      <fieldset><legend>Start from</legend>
        <label><input type="radio" name="start" checked=${start === 'now'} onChange=${() => setStart('now')} /> the live state now</label>
        <label><input type="radio" name="start" checked=${start === 'at'} onChange=${() => setStart('at')} /> the state at
          <input type="datetime-local" value=${at} onInput=${e => { setAt(e.currentTarget.value); setStart('at'); }} /></label>
        <label><input type="radio" name="start" checked=${start === 'empty'} onChange=${() => setStart('empty')} /> an empty system</label>
      </fieldset>
      <fieldset><legend>What-ifs (each a JSON object of changes, as the kind reads them)</legend>
        ${whatIfs.map((w, i) => html`
          <div class="what-if" data-testid="what-if">
            <input aria-label="what-if name" value=${w.name} onInput=${e => setWhatIf(i, 'name', e.currentTarget.value)} />
            <textarea aria-label="what-if changes" rows="2" cols="60" value=${w.changes} onInput=${e => setWhatIf(i, 'changes', e.currentTarget.value)}></textarea>
            <button type="button" onClick=${() => setWhatIfs(whatIfs.filter((_, j) => j !== i))}>Remove</button>
          </div>`)}
        <button type="button" onClick=${() => setWhatIfs([...whatIfs, { name: `what-if-${whatIfs.length + 1}`, changes: '{}' }])}>Add a what-if</button>
      </fieldset>
      <button type="submit" disabled=${busy || !twin} data-testid="launch-fork">Run the what-if</button>
    </form>`;
}

/** A scenario file (YAML or JSON) of any pack's experiment kind, run as it is or optimized. */
function FileForm({ api, signal, packs, onLaunched, onError }) {
  const [text, setText] = useState('');
  const [optimize, setOptimize] = useState(false);
  const [busy, setBusy] = useState(false);
  const kinds = packs.flatMap(p => p.experimentKinds.map(k => `${k.name} (${p.name}): ${k.keys.join(', ')}`));
  const submit = async e => {
    e.preventDefault();
    setBusy(true);
    try {
      const path = `/doppel/experiments?wait=false${optimize ? '&optimize=true' : ''}`;
      onLaunched(await api.post(path, text, { signal, contentType: 'application/yaml' }));
    } catch (problem) {
      onError(problem);
    } finally {
      setBusy(false);
    }
  };
  const load = async e => {
    const file = e.currentTarget.files?.[0];
    if (file) setText(await file.text());
  };
  return html`
    <form class="form" data-testid="file-form" onSubmit=${submit}>
      <p class="hint">Kinds: ${kinds.join('; ') || 'none'}</p>
      <label>File <input type="file" accept=".yaml,.yml,.json" onChange=${load} /></label>
      <textarea name="scenario" rows="14" cols="80" spellcheck="false" value=${text} onInput=${e => setText(e.currentTarget.value)}
        placeholder="line:\n  stations: ...\nrun: { duration: 5000, replications: 10 }\nwhatIf: ..."></textarea>
      <label><input type="checkbox" name="optimize" checked=${optimize} onChange=${e => setOptimize(e.currentTarget.checked)} /> Optimize (run the file's optimize section)</label>
      <button type="submit" disabled=${busy || !text.trim()} data-testid="launch-file">Run the file</button>
    </form>`;
}

/** A run's request and results: the KPI table, the comparisons, a chart; or the optimizer's report. */
function RunDetails({ api, signal, run, packs }) {
  const [full, setFull] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (UNFINISHED.includes(run.status)) return;
    api.get(`/doppel/runs/${encodeURIComponent(run.id)}`, { signal }).then(setFull).catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, [run.id, run.status]);

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (UNFINISHED.includes(run.status)) return html`<p data-testid="run-waiting">Run ${run.id} is ${run.status}: ${run.progress?.completed ?? 0} of ${run.progress?.total ?? 0} done.</p>`;
  if (!full) return html`<p>Reading run ${run.id}…</p>`;
  if (!full.result) return html`<p data-testid="run-no-result">Run ${run.id} ${run.status}${run.error ? `: ${run.error.message}` : ''}.</p>`;
  const result = full.result;
  return html`
    <section class="run-results" data-testid="run-results" data-run=${run.id}>
      <h2>Results of ${run.id}</h2>
      ${result.run && html`<p>${result.run.replications} replications of ${result.run.duration} time units (warm-up ${result.run.warmup}), seed ${result.run.seed}; 95% confidence intervals.</p>`}
      ${Array.isArray(result.report) ? html`<${Report} blocks=${result.report} />` : html`<${Kpis} result=${result} view=${viewOf(packs, run.kind, result.kind)} />`}
    </section>`;
}

/** The view (KPI columns, compared KPIs, plot) the run's kind gives in /doppel/packs; one made from the result otherwise. */
function viewOf(packs, runKind, kindName) {
  const kinds = packs.flatMap(p => (runKind === 'scenario' ? p.scenarioKinds : p.experimentKinds));
  const view = kinds.find(k => k.name === kindName)?.view;
  return view ?? { columns: [], fields: [], compared: [], baseline: 'baseline', plot: null };
}

function Kpis({ result, view }) {
  const scenarios = result.scenarios ?? [];
  const columns = view.columns.length > 0 ? view.columns
    : Object.keys(scenarios[0]?.kpis ?? {}).map(kpi => ({ kpi, label: kpi }));
  const whatIfs = scenarios.filter(s => s.comparisons);
  const compared = view.compared.length > 0 ? view.compared : columns;
  const kpiNames = Object.keys(scenarios[0]?.kpis ?? {});
  const [chartKpi, setChartKpi] = useState(view.plot?.kpi ?? columns[0]?.kpi);
  return html`
    <table class="table" data-testid="kpis">
      <thead><tr><th>scenario</th>${columns.map(c => html`<th>${c.label}</th>`)}${view.fields.map(f => html`<th>${f}</th>`)}</tr></thead>
      <tbody>${scenarios.map(s => html`
        <tr data-scenario=${s.name}><td>${s.name}</td>
          ${columns.map(c => html`<td data-kpi=${c.kpi}>${interval(s.kpis?.[c.kpi])}</td>`)}
          ${view.fields.map(f => html`<td>${String(s[f] ?? '')}</td>`)}
        </tr>`)}
      </tbody>
    </table>
    ${whatIfs.length > 0 && html`
      <h3>Against the ${view.baseline} (paired, common random numbers)</h3>
      <table class="table" data-testid="comparisons">
        <thead><tr><th>what-if</th>${compared.map(c => html`<th>Δ ${c.label}</th><th>change</th><th>significant</th>`)}</tr></thead>
        <tbody>${whatIfs.map(s => html`
          <tr data-scenario=${s.name}><td>${s.name}</td>
            ${compared.map(c => {
              const d = s.comparisons[c.kpi];
              return html`<td>${d ? `${signed(d.difference)} ± ${number(d.halfWidth, 3)}` : '–'}</td><td>${percent(d?.percentChange)}</td>
                <td data-significant=${d?.significant ? 'yes' : 'no'}>${d ? (d.significant ? 'yes' : 'no') : '–'}</td>`;
            })}
          </tr>`)}
        </tbody>
      </table>`}
    <h3>${view.plot && chartKpi === view.plot.kpi ? view.plot.title : `${chartKpi} (95% interval)`}</h3>
    <label>KPI <select value=${chartKpi} onChange=${e => setChartKpi(e.currentTarget.value)}>
      ${kpiNames.map(k => html`<option value=${k}>${k}</option>`)}</select></label>
    <${IntervalChart} scenarios=${scenarios} kpi=${chartKpi} axis=${view.plot && chartKpi === view.plot.kpi ? view.plot.axis : chartKpi} />`;
}

/** One KPI per scenario as a point with its 95% interval as a whisker (uPlot, the x axis naming the scenarios). */
function IntervalChart({ scenarios, kpi, axis }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current || !kpi) return;
    const names = scenarios.map(s => s.name);
    const xs = names.map((_, i) => i);
    const mean = scenarios.map(s => s.kpis?.[kpi]?.mean ?? null);
    const low = scenarios.map(s => (s.kpis?.[kpi]?.mean ?? null) === null ? null : s.kpis[kpi].mean - (s.kpis[kpi].halfWidth ?? 0));
    const high = scenarios.map(s => (s.kpis?.[kpi]?.mean ?? null) === null ? null : s.kpis[kpi].mean + (s.kpis[kpi].halfWidth ?? 0));
    const whiskers = u => {
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#1c7ed6';
      ctx.lineWidth = 2 * devicePixelRatio;
      xs.forEach(i => {
        if (low[i] === null) return;
        const x = u.valToPos(i, 'x', true);
        const top = u.valToPos(high[i], 'y', true);
        const bottom = u.valToPos(low[i], 'y', true);
        const cap = 8 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, top); ctx.lineTo(x, bottom);
        ctx.moveTo(x - cap, top); ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom); ctx.lineTo(x + cap, bottom);
        ctx.stroke();
      });
      ctx.restore();
    };
    const finite = [...low, ...high].filter(v => v !== null);
    const span = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
    const pad = (span[1] - span[0]) * 0.15 || Math.abs(span[0]) * 0.1 || 1;
    const chart = new uPlot({
      width: Math.max(320, box.current.clientWidth), height: 260,
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] }, y: { range: [span[0] - pad, span[1] + pad] } },
      axes: [
        { values: (u, ticks) => ticks.map(t => (Number.isInteger(t) ? names[t] ?? '' : '')), splits: () => xs },
        { label: axis },
      ],
      series: [{}, { label: kpi, stroke: '#1c7ed6', width: 0, points: { show: true, size: 10, fill: '#1c7ed6' } }],
      legend: { show: false },
      hooks: { draw: [whiskers] },
    }, [xs, mean], box.current);
    return () => chart.destroy();
  }, [scenarios, kpi, axis]);
  return html`<div ref=${box} data-testid="kpi-chart"></div>`;
}

/** An optimizer's report, as the pack wrote it: texts and tables in order. */
function Report({ blocks }) {
  return html`
    <div data-testid="optimizer-report">
      ${blocks.map(block => (block.headers
        ? html`<table class="table report">
            <thead><tr>${block.headers.map(c => html`<th>${c}</th>`)}</tr></thead>
            <tbody>${block.rows.map(r => html`<tr>${r.map(c => html`<td>${c}</td>`)}</tr>`)}</tbody>
          </table>`
        : html`<p>${block.text}</p>`))}
    </div>`;
}
