// The health pack's dosing page (#/packs/health/dosing): a vancomycin patient's covariates, the doses given and the
// levels measured go to POST /doppel/experiments as a `vancomycin-dosing` file; the answer is drawn: the recommended
// regimen, the posterior of the patient's parameters (MAP with 90% intervals), the posterior of the AUC24, and the
// predicted concentrations (MAP line and 90% band) if the patient stays on the current doses or switches at the next.
import { useState } from 'preact/hooks';
import { ErrorBox, html } from '/console/lib/ui.js';

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };
const SERIES = { current: '#868e96', recommended: '#1c7ed6' };

const round = (value, digits = 1) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : '–');
const percent = value => `${Math.round(value * 100)}%`;

/** "38.5 34.2" per line → [{ time, value }]; a line that is not two numbers is an error that names it. */
function parseLevels(text) {
  return text.split('\n').map(line => line.trim()).filter(Boolean).map((line, i) => {
    const [time, value, extra] = line.split(/[\s,;]+/).map(Number);
    if (!Number.isFinite(time) || !Number.isFinite(value) || extra !== undefined) throw new Error(`Level ${i + 1} ("${line}") is not "hours mg/L".`);
    return { time, value };
  });
}

/** The concentration curves: each regimen's band and MAP line, the switch, the levels as dots. */
function Curves({ result }) {
  const { curves, levels } = result;
  const times = curves.times;
  const tMax = times[times.length - 1];
  const cMax = Math.max(1, ...['current', 'recommended'].flatMap(k => curves[k]?.upper ?? []), ...levels.map(l => l.value)) * 1.05;
  const x = t => PAD.left + (t / tMax) * (WIDTH - PAD.left - PAD.right);
  const y = c => HEIGHT - PAD.bottom - (c / cMax) * (HEIGHT - PAD.top - PAD.bottom);
  const line = values => values.map((c, i) => `${i ? 'L' : 'M'}${x(times[i]).toFixed(1)},${y(c).toFixed(1)}`).join('');
  const band = ({ lower, upper }) => `${line(upper)}L${lower.map((c, i) => [x(times[i]), y(c)]).reverse().map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join('L')}Z`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => Math.round(f * tMax));
  return html`<svg width=${WIDTH} height=${HEIGHT} role="img" data-testid="curves" aria-label="Predicted vancomycin concentrations">
    <line x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${y(0)} y2=${y(0)} stroke="#adb5bd"></line>
    <line x1=${PAD.left} x2=${PAD.left} y1=${PAD.top} y2=${y(0)} stroke="#adb5bd"></line>
    ${ticks.map(t => html`<text x=${x(t)} y=${HEIGHT - 8} font-size="10" text-anchor="middle">${t} h</text>`)}
    ${[0, 0.5, 1].map(f => html`<text x=${PAD.left - 4} y=${y(f * cMax) + 3} font-size="10" text-anchor="end">${Math.round(f * cMax)}</text>`)}
    <line x1=${x(curves.switchAt)} x2=${x(curves.switchAt)} y1=${PAD.top} y2=${y(0)} stroke="#495057" stroke-dasharray="4 3"></line>
    ${['current', 'recommended'].filter(k => curves[k]).map(k => html`
      <path d=${band(curves[k])} fill=${SERIES[k]} opacity="0.18" data-series=${`${k}-band`}></path>
      <path d=${line(curves[k].map)} fill="none" stroke=${SERIES[k]} stroke-width="1.5" data-series=${k}></path>`)}
    ${levels.map(l => html`<circle cx=${x(l.time)} cy=${y(l.value)} r="3.5" fill="#e03131" data-level=${l.time}></circle>`)}
  </svg>`;
}

/** The answer: the regimen, its AUC posterior, the parameters' posterior, the candidates, the curves. */
function Recommendation({ result }) {
  const r = result.recommendation;
  const c = result.current;
  return html`
    <section data-testid="recommendation" data-dose=${r.dose} data-interval=${r.interval} data-auc=${round(r.auc24, 0)} data-probability=${round(r.probabilityInTarget, 3)}>
      <h2>Recommended: ${r.text}</h2>
      <p data-testid="auc-posterior">AUC24 at steady state ${round(r.auc24, 0)} mg·h/L at the MAP estimate; posterior median ${round(r.auc24Median, 0)},
        90% interval ${round(r.auc24Lower, 0)}–${round(r.auc24Upper, 0)}; probability in ${result.target.low}–${result.target.high}: <strong>${percent(r.probabilityInTarget)}</strong>.
        Steady-state peak ${round(r.peak)} mg/L, trough ${round(r.trough)} mg/L.</p>
      ${c && html`<p data-testid="current">Staying on ${c.text}: AUC24 ${round(c.auc24, 0)} mg·h/L, probability in target ${percent(c.probabilityInTarget)}.</p>`}
      <${Curves} result=${result} />
      <p class="muted">Grey: staying on the current doses; blue: switching at ${round(result.curves.switchAt)} h (dashed); bands: 90% of the posterior; dots: the measured levels.</p>
      <h3>Posterior (${result.posterior.method}${result.posterior.converged ? '' : '; NOT converged'})</h3>
      <table class="table" data-testid="posterior">
        <thead><tr><th>parameter</th><th>MAP</th><th>90% interval</th></tr></thead>
        <tbody>${Object.entries(result.posterior.parameters).map(([name, p]) => html`
          <tr data-parameter=${name} data-map=${round(p.map, 3)}><td>${name}</td><td>${round(p.map, 2)}</td><td>${round(p.lower, 2)} – ${round(p.upper, 2)}</td></tr>`)}
        </tbody>
      </table>
      <h3>Regimens considered</h3>
      <table class="table" data-testid="candidates">
        <thead><tr><th>regimen</th><th>AUC24 (MAP)</th><th>P(target)</th></tr></thead>
        <tbody>${result.candidates.map(k => html`<tr><td>${k.regimen}</td><td>${round(k.auc24, 0)}</td><td>${percent(k.probabilityInTarget)}</td></tr>`)}</tbody>
      </table>
      <p class="muted">${result.model}: ${result.citation}</p>
    </section>`;
}

export default function DosingPage({ api, signal }) {
  const [form, setForm] = useState({ weight: 82, age: 67, female: false, scr: 1.4, dialysis: false, dose: 1250, interval: 12, count: 4, duration: 1.5, levels: '38.5 34.2\n47.5 21.6', low: 400, high: 600 });
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = key => e => setForm({ ...form, [key]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });

  const submit = async e => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const number = key => Number(form[key]);
      const file = {
        kind: 'vancomycin-dosing',
        patient: { weight: number('weight'), age: number('age'), female: form.female, scr: number('scr'), dialysis: form.dialysis },
        regimen: { dose: number('dose'), interval: number('interval'), count: number('count'), route: 'infusion', duration: number('duration') },
        levels: parseLevels(form.levels),
        target: { low: number('low'), high: number('high') },
      };
      setResult(await api.post('/doppel/experiments', JSON.stringify(file), { signal, contentType: 'application/json' }));
    } catch (problem) {
      setResult(null);
      if (problem.name !== 'AbortError') setError(problem);
    } finally {
      setBusy(false);
    }
  };

  const input = (key, label, step = 'any') => html`<label>${label} <input name=${key} type="number" step=${step} value=${form[key]} onInput=${set(key)} /></label>`;
  return html`
    <section class="dosing" data-testid="dosing-page">
      <header class="page-header"><h1>Vancomycin dosing</h1></header>
      <p class="hint">Bayesian dose individualisation: the levels update the population model (Goti et al. 2018) into this patient's parameters; the regimen is the one most likely to put the steady-state AUC24 in the target.</p>
      <form class="form" data-testid="dosing-form" onSubmit=${submit}>
        <fieldset><legend>Patient</legend>
          ${input('weight', 'Weight (kg)')} ${input('age', 'Age (years)')} ${input('scr', 'Serum creatinine (mg/dL)')}
          <label><input name="female" type="checkbox" checked=${form.female} onChange=${set('female')} /> Female</label>
          <label><input name="dialysis" type="checkbox" checked=${form.dialysis} onChange=${set('dialysis')} /> On haemodialysis</label>
        </fieldset>
        <fieldset><legend>Doses given (from 0 h)</legend>
          ${input('dose', 'Dose (mg)')} ${input('interval', 'Every (h)')} ${input('count', 'Doses', '1')} ${input('duration', 'Infusion (h)')}
        </fieldset>
        <fieldset><legend>Levels ("hours mg/L", one a line)</legend>
          <textarea name="levels" rows="3" cols="24" value=${form.levels} onInput=${set('levels')}></textarea>
        </fieldset>
        <fieldset><legend>Target AUC24 (mg·h/L)</legend>${input('low', 'From')} ${input('high', 'To')}</fieldset>
        <button type="submit" disabled=${busy} data-testid="recommend">${busy ? 'Computing…' : 'Recommend a dose'}</button>
      </form>
      ${error && html`<${ErrorBox} error=${error} />`}
      ${result && html`<${Recommendation} result=${result} />`}
    </section>`;
}
