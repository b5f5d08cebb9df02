// The health pack's console page (#/packs/health/patient?twin=patient-adult-1): a patient's CGM readings and the live
// twin's estimated glucose over the last hours, the forecast band 30 and 60 minutes ahead, the hypoglycaemia risk and
// the patient's open alerts, kept live by the event stream as the twin writes them.
import { useEffect, useState } from 'preact/hooks';
import { subscribeEvents } from '/console/lib/events.js';
import { ErrorBox, html } from '/console/lib/ui.js';

const PATIENT_MODEL = 'dtmi:doppel:health:Patient;1';
const HOURS = 3;
const WIDTH = 640;
const HEIGHT = 240;
const PAD = 32;

const quote = text => `'${String(text).replaceAll("'", "\\'")}'`;
const isNumber = value => typeof value === 'number' && Number.isFinite(value);
const round = value => (isNumber(value) ? Math.round(value) : null);

/** The points of one twin's named value over the window, oldest first. */
async function history(api, twinId, name, from, to, signal) {
  return api.list(api.adt(`/doppel/history/twins/${encodeURIComponent(twinId)}`, { names: name, from: from.toISOString(), to: to.toISOString() }), { signal });
}

/** Everything the page shows of one patient, read afresh. */
async function readPatient(api, patientId, signal) {
  const patient = await api.get(api.adt(`/digitaltwins/${encodeURIComponent(patientId)}`), { signal });
  const relationships = await api.list(api.adt(`/digitaltwins/${encodeURIComponent(patientId)}/relationships`), { signal });
  const sensor = relationships.find(r => r.$relationshipName === 'sensor')?.$targetId ?? null;
  const at = patient.estimatedAt ? new Date(patient.estimatedAt) : new Date();
  const from = new Date(at.getTime() - HOURS * 3600 * 1000);
  const to = new Date(at.getTime() + 1000);
  const [readings, estimates, alerts] = await Promise.all([
    sensor ? history(api, sensor, 'glucose', from, to, signal) : Promise.resolve([]),
    history(api, patientId, 'glucose', from, to, signal),
    api.list(api.url('/doppel/alerts', { state: 'open', twinId: patientId, 'api-version': '2023-10-31' }), { signal }),
  ]);
  return { patient, sensor, readings, estimates, alerts };
}

/** Readings (dots), the estimate (line) and the forecast band (shaded, median dashed), with the 70 and 180 lines. */
function Chart({ data }) {
  const { patient, readings, estimates } = data;
  const now = patient.estimatedAt ? Date.parse(patient.estimatedAt) : Date.now();
  const start = now - HOURS * 3600 * 1000;
  const end = now + 60 * 60 * 1000;
  const values = [...readings.map(p => p.value), ...estimates.map(p => p.value), patient.glucoseForecast60Upper, patient.glucoseForecast30Upper, 200, 50].filter(isNumber);
  const top = Math.max(...values) * 1.05;
  const bottom = Math.max(0, Math.min(...values) * 0.9);
  const x = t => PAD + ((t - start) / (end - start)) * (WIDTH - 2 * PAD);
  const y = v => HEIGHT - PAD - ((v - bottom) / (top - bottom)) * (HEIGHT - 2 * PAD);
  const line = points => points.map((p, i) => `${i ? 'L' : 'M'}${x(Date.parse(p.time)).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const forecast = isNumber(patient.glucoseForecast30) && isNumber(patient.glucoseForecast60);
  const band = forecast ? [
    [now, patient.glucoseUpper ?? patient.glucose], [now + 30 * 60000, patient.glucoseForecast30Upper], [now + 60 * 60000, patient.glucoseForecast60Upper],
    [now + 60 * 60000, patient.glucoseForecast60Lower], [now + 30 * 60000, patient.glucoseForecast30Lower], [now, patient.glucoseLower ?? patient.glucose],
  ].map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ') : '';
  const median = forecast ? `M${x(now)},${y(patient.glucose)} L${x(now + 30 * 60000)},${y(patient.glucoseForecast30)} L${x(now + 60 * 60000)},${y(patient.glucoseForecast60)}` : '';
  return html`<svg width=${WIDTH} height=${HEIGHT} role="img" data-testid="glucose-chart" aria-label="glucose over the last hours and the forecast">
    ${[70, 180].filter(v => v > bottom && v < top).map(v => html`<g>
      <line x1=${PAD} x2=${WIDTH - PAD} y1=${y(v)} y2=${y(v)} stroke=${v === 70 ? '#e03131' : '#f08c00'} stroke-dasharray="4 3"></line>
      <text x="2" y=${y(v) + 4} font-size="10">${v}</text></g>`)}
    <line x1=${x(now)} x2=${x(now)} y1=${PAD / 2} y2=${HEIGHT - PAD} stroke="#adb5bd"></line>
    ${band && html`<polygon points=${band} fill="#2563eb" opacity="0.2" data-testid="forecast-band"></polygon>`}
    ${median && html`<path d=${median} stroke="#2563eb" stroke-dasharray="5 3" fill="none"></path>`}
    ${estimates.length > 1 && html`<path d=${line(estimates)} stroke="#2563eb" stroke-width="2" fill="none" data-testid="estimate-line"></path>`}
    ${readings.map(p => html`<circle cx=${x(Date.parse(p.time))} cy=${y(p.value)} r="2" fill="#495057" data-testid="reading"></circle>`)}
    <text x=${PAD} y=${HEIGHT - 8} font-size="10">${new Date(start).toLocaleTimeString()}</text>
    <text x=${x(now) - 20} y=${HEIGHT - 8} font-size="10">now</text>
    <text x=${WIDTH - PAD - 30} y=${HEIGHT - 8} font-size="10">+60 min</text>
  </svg>`;
}

export default function PatientPage({ params, api, signal }) {
  const [patients, setPatients] = useState(null);
  const [patientId, setPatientId] = useState(params?.query?.twin ?? null);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('connecting');

  useEffect(() => {
    api.query(`SELECT $dtId, name FROM DIGITALTWINS WHERE IS_OF_MODEL(${quote(PATIENT_MODEL)})`, { signal })
      .then(({ rows }) => {
        rows.sort((a, b) => a.$dtId.localeCompare(b.$dtId));
        setPatients(rows);
        if (!patientId) setPatientId(rows[0]?.$dtId ?? '');
      })
      .catch(e => { if (e.name !== 'AbortError') setError(e); });
  }, []);

  // The patient read afresh when the stream opens and after each change or alert of theirs (at most once at a time).
  useEffect(() => {
    if (!patientId) return undefined;
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal?.addEventListener('abort', abort);
    let reading = false;
    let again = false;
    const read = () => {
      if (reading) { again = true; return; }
      reading = true;
      readPatient(api, patientId, stop.signal)
        .then(setData)
        .catch(e => { if (e.name !== 'AbortError') setError(e); })
        .finally(() => { reading = false; if (again && !stop.signal.aborted) { again = false; read(); } });
    };
    const onEvent = event => {
      if (!stop.signal.aborted && (event.subject === patientId || event.data?.twinId === patientId)) read();
    };
    const status = value => {
      setLive(value);
      if (value === 'open') read();
    };
    const subscription = subscribeEvents({ twinIds: [patientId], types: ['twin', 'alert'] }, { onEvent, onStatus: status, onError: setError });
    read();
    return () => {
      stop.abort();
      subscription.close();
      signal?.removeEventListener('abort', abort);
    };
  }, [patientId]);

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (patients && patients.length === 0) {
    return html`<p>No patient (${PATIENT_MODEL}) here: run <code>doppel demo health</code>, or load the sample with <code>doppel samples load health</code>.</p>`;
  }
  const p = data?.patient;
  const estimated = p && isNumber(p.glucose);
  const risk = estimated && isNumber(p.hypoRisk) ? Math.round(p.hypoRisk * 100) : null;
  return html`
    <section class="patient" data-testid="patient-page" data-patient=${patientId ?? ''}>
      <header class="page-header">
        <h1>Patient ${p?.name ?? patientId ?? ''}</h1>
        ${patients && patients.length > 1 && html`
          <select aria-label="patient" value=${patientId} onChange=${e => setPatientId(e.currentTarget.value)}>
            ${patients.map(r => html`<option value=${r.$dtId}>${r.name ?? r.$dtId}</option>`)}
          </select>`}
        <span class="badge" data-testid="live-status" data-status=${live}>${live}</span>
        ${patientId && html` <a href=${`#/simulation?kind=patient&twin=${encodeURIComponent(patientId)}`} data-testid="whatif-link">What if…</a>`}
      </header>
      ${!data ? html`<p>Reading the patient…</p>` : html`
        ${estimated ? html`
          <p data-testid="patient-now" data-glucose=${round(p.glucose)} data-forecast30=${round(p.glucoseForecast30)} data-lower30=${round(p.glucoseForecast30Lower)}
             data-upper30=${round(p.glucoseForecast30Upper)} data-forecast60=${round(p.glucoseForecast60)} data-risk=${risk}>
            Glucose <strong>${round(p.glucose)}</strong> mg/dL (${round(p.glucoseLower)}–${round(p.glucoseUpper)}) at ${new Date(p.estimatedAt).toLocaleString()};
            in 30 min <strong>${round(p.glucoseForecast30)}</strong> (${round(p.glucoseForecast30Lower)}–${round(p.glucoseForecast30Upper)}),
            in 60 min <strong>${round(p.glucoseForecast60)}</strong> (${round(p.glucoseForecast60Lower)}–${round(p.glucoseForecast60Upper)});
            risk of a low within 30 min <strong data-testid="hypo-risk">${risk}%</strong>; insulin on board ${isNumber(p.insulinOnBoard) ? p.insulinOnBoard.toFixed(1) : '–'} U.
            <span class="muted">(${p.profile ?? ''}, 90% intervals)</span>
          </p>
          <${Chart} data=${data} />` : html`<p data-testid="patient-waiting">No estimate yet: the live twin writes one at the patient's next CGM reading${data.sensor ? ` (sensor ${data.sensor})` : ''}.</p>`}
        <h2>Open alerts</h2>
        ${data.alerts.length === 0 ? html`<p class="muted" data-testid="no-alerts">None.</p>` : html`
          <table class="table" data-testid="patient-alerts">
            <thead><tr><th>raised</th><th>severity</th><th>alert</th><th>message</th></tr></thead>
            <tbody>${data.alerts.map(a => html`
              <tr key=${a.id} data-alert=${a.ruleId}><td>${new Date(a.raisedTime).toLocaleString()}</td><td>${a.severity}</td><td>${a.ruleId}</td><td>${a.message}</td></tr>`)}
            </tbody>
          </table>`}`}
    </section>`;
}
