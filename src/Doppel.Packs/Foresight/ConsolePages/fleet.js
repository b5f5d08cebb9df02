// The foresight pack's console page (#/packs/foresight/fleet?twin=fleet-1): every engine's predicted remaining life
// as a bar with its interval as whiskers, the engines most at risk (lowest lower end) first, kept live by the event
// stream as the predictor writes rul, rulLower and rulUpper on the twins.
import { useEffect, useState } from 'preact/hooks';
import { subscribeEvents } from '/console/lib/events.js';
import { ErrorBox, html } from '/console/lib/ui.js';

const FLEET_MODEL = 'dtmi:doppel:foresight:Fleet;1';
const ENGINE_MODEL = 'dtmi:doppel:foresight:Turbofan;1';
const FIELDS = ['rul', 'rulLower', 'rulUpper', 'rulPredictor'];
// Risk by the interval's lower end, in cycles: how soon the engine may fail.
const RISK = [[15, 'high', '#e03131'], [40, 'medium', '#f08c00'], [Infinity, 'low', '#2f9e44']];
const BAR_WIDTH = 360;

const quote = text => `'${String(text).replaceAll("'", "\\'")}'`;
const isNumber = value => typeof value === 'number' && Number.isFinite(value);
const predicted = engine => isNumber(engine.rul);
const lowerOf = engine => (isNumber(engine.rulLower) ? engine.rulLower : engine.rul);
const upperOf = engine => (isNumber(engine.rulUpper) ? engine.rulUpper : engine.rul);
const riskOf = engine => RISK.find(([limit]) => lowerOf(engine) < limit);
const round = value => (isNumber(value) ? Math.round(value * 10) / 10 : null);

/** Engines at risk first: by the interval's lower end, then the prediction; those without a prediction last, by id. */
function byRisk(a, b) {
  if (predicted(a) !== predicted(b)) return predicted(a) ? -1 : 1;
  if (predicted(a)) return lowerOf(a) - lowerOf(b) || a.rul - b.rul || a.$dtId.localeCompare(b.$dtId);
  return a.$dtId.localeCompare(b.$dtId);
}

/** The fleet's engines (its 'engines' relationships), or every engine when there is no fleet. */
async function readEngines(api, fleetId, signal) {
  const { rows } = await api.query(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(${quote(ENGINE_MODEL)})`, { signal });
  if (!fleetId) return rows;
  const relationships = await api.list(api.adt(`/digitaltwins/${encodeURIComponent(fleetId)}/relationships`), { signal });
  const members = new Set(relationships.filter(r => r.$relationshipName === 'engines').map(r => r.$targetId));
  return rows.filter(engine => members.has(engine.$dtId));
}

/** One engine's bar: the prediction as a bar from 0, its interval as whiskers, on a scale of `top` cycles. */
function Bar({ engine, top }) {
  if (!predicted(engine)) return html`<span class="muted">waiting for a prediction</span>`;
  const x = value => Math.max(0, Math.min(BAR_WIDTH, (value / top) * BAR_WIDTH));
  const [, , colour] = riskOf(engine);
  const lower = x(Math.max(0, lowerOf(engine)));
  const upper = x(upperOf(engine));
  return html`<svg width=${BAR_WIDTH} height="18" role="img" aria-label=${`${round(engine.rul)} cycles, interval ${round(lowerOf(engine))} to ${round(upperOf(engine))}`}>
    <rect x="0" y="4" width=${x(engine.rul)} height="10" fill=${colour} opacity="0.75"></rect>
    <line x1=${lower} x2=${upper} y1="9" y2="9" stroke="#212529" stroke-width="1.5"></line>
    <line x1=${lower} x2=${lower} y1="3" y2="15" stroke="#212529" stroke-width="1.5"></line>
    <line x1=${upper} x2=${upper} y1="3" y2="15" stroke="#212529" stroke-width="1.5"></line>
  </svg>`;
}

export default function FleetPage({ params, api, signal }) {
  const [fleets, setFleets] = useState(null);
  const [fleetId, setFleetId] = useState(params?.query?.twin ?? null);
  const [engines, setEngines] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('connecting');

  // The fleets there are; the one asked for, else the first (or every engine when there is none).
  useEffect(() => {
    api.query(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(${quote(FLEET_MODEL)})`, { signal })
      .then(({ rows }) => {
        setFleets(rows);
        if (!fleetId && rows.length > 0) setFleetId(rows[0].$dtId);
        if (rows.length === 0) setFleetId('');
      })
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, []);

  // The engines, then their predictions as the stream brings them, drawn at most once a frame however many arrive.
  useEffect(() => {
    if (fleetId === null) return undefined;
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal?.addEventListener('abort', abort);
    const current = new Map();
    let frame = 0;
    const draw = () => {
      frame = 0;
      setEngines([...current.values()].sort(byRisk));
    };
    const schedule = () => { if (!frame) frame = requestAnimationFrame(draw); };
    // A change that arrives as an event after a read was sent is newer than the read.
    const touched = new Set();
    const read = () => {
      touched.clear();
      readEngines(api, fleetId, stop.signal)
        .then(rows => {
          for (const row of rows) {
            const known = current.get(row.$dtId) ?? {};
            const fresh = { ...row };
            for (const field of FIELDS) if (touched.has(`${row.$dtId}/${field}`)) fresh[field] = known[field];
            current.set(row.$dtId, fresh);
          }
          schedule();
        })
        .catch(e => { if (e.name !== 'AbortError') setError(e); });
    };
    const onEvent = event => {
      if (stop.signal.aborted || event.type !== 'Microsoft.DigitalTwins.Twin.Update') return;
      const engine = current.get(event.subject);
      if (!engine) return;
      for (const op of event.data?.patch ?? []) {
        const field = op.path?.slice(1);
        if (!FIELDS.includes(field)) continue;
        touched.add(`${event.subject}/${field}`);
        engine[field] = op.op === 'remove' ? undefined : op.value;
      }
      schedule();
    };
    // Once the stream is open (again) the engines are read afresh: what changed before it opened came as no event.
    const status = value => {
      setLive(value);
      if (value === 'open') read();
    };
    const subscription = subscribeEvents({ model: ENGINE_MODEL, types: ['twin'] }, { onEvent, onStatus: status, onError: setError });
    read();
    return () => {
      stop.abort();
      subscription.close();
      if (frame) cancelAnimationFrame(frame);
      signal?.removeEventListener('abort', abort);
    };
  }, [fleetId]);

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (engines && engines.length === 0) {
    return html`<p>No turbofan engine (${ENGINE_MODEL}) here: run <code>doppel demo engines</code>, or load the sample with <code>doppel samples load engines</code>.</p>`;
  }
  const withPrediction = (engines ?? []).filter(predicted);
  const top = Math.max(50, ...withPrediction.map(upperOf)) * 1.05;
  const atRisk = withPrediction.filter(e => riskOf(e)[1] === 'high').length;
  return html`
    <section class="engine-fleet" data-testid="fleet-page" data-fleet=${fleetId ?? ''}>
      <header class="page-header">
        <h1>Engine fleet ${fleetId ?? ''}</h1>
        ${fleets && fleets.length > 1 && html`
          <select aria-label="fleet" value=${fleetId} onChange=${e => setFleetId(e.currentTarget.value)}>
            ${fleets.map(f => html`<option value=${f.$dtId}>${f.name ?? f.$dtId}</option>`)}
          </select>`}
        <span class="badge" data-testid="live-status" data-status=${live}>${live}</span>
        ${fleetId && html` <a href=${`#/simulation?kind=engine-maintenance&twin=${encodeURIComponent(fleetId)}`} data-testid="plan-link">Plan maintenance</a>`}
      </header>
      ${engines ? html`
        <p data-testid="fleet-summary">${engines.length} engines, ${withPrediction.length} with a prediction, ${atRisk} at high risk
          (the interval's lower end under ${RISK[0][0]} cycles). Bars: predicted remaining life in cycles; whiskers: its interval.</p>
        <table class="table" data-testid="engines">
          <thead><tr><th>engine</th><th>RUL</th><th>interval</th><th>remaining useful life (cycles, 0 to ${Math.round(top)})</th><th>predictor</th></tr></thead>
          <tbody>${engines.map(e => html`
            <tr key=${e.$dtId} data-engine=${e.$dtId} data-rul=${round(e.rul) ?? ''} data-lower=${round(lowerOf(e)) ?? ''} data-upper=${round(upperOf(e)) ?? ''} data-risk=${predicted(e) ? riskOf(e)[1] : 'unknown'}>
              <td><a href=${`#/twins/${encodeURIComponent(e.$dtId)}`}>${e.$dtId}</a></td>
              <td>${predicted(e) ? round(e.rul) : '–'}</td>
              <td>${predicted(e) ? `${round(lowerOf(e))} – ${round(upperOf(e))}` : ''}</td>
              <td><${Bar} engine=${e} top=${top} /></td>
              <td class="muted">${e.rulPredictor ?? ''}</td>
            </tr>`)}
          </tbody>
        </table>` : html`<p>Reading the fleet…</p>`}
    </section>`;
}
