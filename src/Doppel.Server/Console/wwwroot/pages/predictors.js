// Predictors: the registry's trained predictors (latest version of each, its validation metrics, training data and the
// models it serves), and one predictor's versions, inputs and what training chose. Training and assigning are the
// CLI's and the API's (doppel predict ...); the page shows where each predictor stands.
import { ErrorBox, JsonView, Loading, Table, formatTime, formatValue, html, navigate, useAsync } from '../lib/ui.js';

const assigned = (p) => (p.assignments ?? []).map((a) => (a.version ? `${a.model} (v${a.version})` : a.model)).join(', ');

function Detail({ api, name }) {
  const predictor = useAsync((s) => api.get(`/doppel/predictors/${encodeURIComponent(name)}`, { signal: s }), [name]);
  if (predictor.loading && !predictor.data) return html`<${Loading} />`;
  if (predictor.error) return html`<${ErrorBox} error=${predictor.error} onRetry=${predictor.reload} />`;
  const p = predictor.data;
  return html`<div class="card" data-testid="predictor-detail">
    <h2>${p.name} <span class="muted">version ${p.version} · ${p.kind} · window ${p.window}</span></h2>
    <p>Serves: ${p.assignments?.length ? html`<code data-testid="predictor-assignments">${assigned(p)}</code>` : html`<span class="muted">no model yet (doppel predict assign ${p.name} MODEL)</span>`}</p>
    <p>Inputs: <code data-testid="predictor-channels">${(p.channels ?? []).join(', ')}</code></p>
    <h3>Versions</h3>
    <${Table} rows=${[...(p.versions ?? [])].reverse()} rowKey=${(v) => v.version} class="predictor-versions"
      columns=${[
        { key: 'version', title: 'Version' },
        { key: 'kind', title: 'Kind' },
        { key: 'rmse', title: 'Validation RMSE', render: (v) => formatValue(v.metrics?.validation?.rmse) },
        { key: 'coverage', title: 'Interval coverage', render: (v) => formatValue(v.metrics?.validation?.coverage) },
        { key: 'source', title: 'Trained on', render: (v) => `${v.training?.source ?? ''}${v.training?.units ? ` (${v.training.units} units)` : ''}` },
        { key: 'createdTime', title: 'Stored', render: (v) => formatTime(v.createdTime) },
      ]} />
    <h3>What training chose</h3>
    <${JsonView} value=${p.hyperParameters} />
  </div>`;
}

export default function PredictorsPage({ params, api }) {
  const predictors = useAsync((s) => api.list('/doppel/predictors', { signal: s }), []);
  const chosen = params?.id ?? null;
  return html`<section class="page predictors-page">
    <h1>Predictors</h1>
    ${predictors.loading && !predictors.data ? html`<${Loading} />` : predictors.error ? html`<${ErrorBox} error=${predictors.error} onRetry=${predictors.reload} />` : html`
      <${Table} rows=${predictors.data} rowKey=${(p) => p.name} empty="No predictors yet: doppel predict train NAME --data FILE." class="predictors"
        onRowClick=${(p) => navigate(`predictors/${encodeURIComponent(p.name)}`)}
        columns=${[
          { key: 'name', title: 'Name' },
          { key: 'version', title: 'Version' },
          { key: 'kind', title: 'Kind' },
          { key: 'rmse', title: 'Validation RMSE', render: (p) => formatValue(p.metrics?.validation?.rmse) },
          { key: 'coverage', title: 'Interval coverage', render: (p) => formatValue(p.metrics?.validation?.coverage) },
          { key: 'source', title: 'Trained on', render: (p) => p.training?.source ?? '' },
          { key: 'assignments', title: 'Serves', render: (p) => html`<code>${assigned(p)}</code>` },
          { key: 'createdTime', title: 'Stored', render: (p) => formatTime(p.createdTime) },
        ]} />`}
    ${chosen ? html`<${Detail} key=${chosen} api=${api} name=${chosen} />` : null}
  </section>`;
}
