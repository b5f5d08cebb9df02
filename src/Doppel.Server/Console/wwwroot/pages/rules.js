// Rules: the list, an editor (a form whose fields are the rule's JSON; the API's error names the field and, for an
// expression, its line and column, shown under the text it points at), and a backtest over a chosen range: how often,
// when and on which twins the rule (saved or as edited) would have fired.
import { useMemo, useState } from 'preact/hooks';
import { HistoryChart } from '../lib/charts.js';
import { CodeEditor, ErrorBox, Field, Loading, Table, TimeRangePicker, errorPosition, formatTime, formatValue, href, html, navigate, resolveRange, useAsync } from '../lib/ui.js';
import { SEVERITIES, SeverityBadge } from './alerts.js';

const EMPTY = { id: '', description: '', scopeKind: 'model', scope: '', condition: '', clear: '', for: '', severity: 'major', message: '{twinId}: {value}', enabled: true };

function toForm(rule) {
  return {
    id: rule.id ?? '',
    description: rule.description ?? '',
    scopeKind: rule.scope?.query !== undefined ? 'query' : 'model',
    scope: rule.scope?.query ?? rule.scope?.model ?? '',
    condition: rule.condition ?? '',
    clear: rule.clear ?? '',
    for: rule.for ?? '',
    severity: rule.severity ?? 'major',
    message: rule.message ?? '',
    enabled: rule.enabled ?? true,
  };
}

/** The rule as the API takes it; optional fields left empty are left out. */
function toRule(form) {
  const rule = {
    scope: form.scopeKind === 'query' ? { query: form.scope } : { model: form.scope },
    condition: form.condition,
    severity: form.severity,
    message: form.message,
    enabled: form.enabled,
  };
  if (form.description.trim()) rule.description = form.description;
  if (form.clear.trim()) rule.clear = form.clear;
  if (form.for.trim()) rule.for = form.for.trim();
  return rule;
}

const FIELDS = ['description', 'scope', 'condition', 'clear', 'for', 'severity', 'message', 'enabled', 'id'];

/** The field an API error names first ("condition: line 2, column 18: …", "scope.query: …"), or null. */
export function fieldOf(message) {
  const text = String(message ?? '');
  return FIELDS.map((f) => ({ f, at: text.search(new RegExp(`\\b${f}\\b`)) })).filter((x) => x.at >= 0).sort((a, b) => a.at - b.at)[0]?.f ?? null;
}

/** Firings per time bucket, as uPlot data. */
function timeline(result, from, to) {
  const buckets = 60;
  const start = from.getTime() / 1000;
  const width = Math.max(1, (to.getTime() / 1000 - start) / buckets);
  const times = Array.from({ length: buckets }, (_, i) => start + i * width);
  const counts = new Array(buckets).fill(0);
  for (const a of result.alerts ?? []) {
    const at = Math.floor((new Date(a.raisedTime).getTime() / 1000 - start) / width);
    if (at >= 0 && at < buckets) counts[at] += 1;
  }
  return [times, counts];
}

function Backtest({ api, form, savedId }) {
  const [range, setRange] = useState({ preset: '7d' });
  const [state, setState] = useState({ busy: false, error: null, result: null, from: null, to: null });
  const run = async () => {
    const { from, to } = resolveRange(range);
    setState({ busy: true, error: null, result: null, from, to });
    try {
      // As edited when the form differs from what is stored (or nothing is): the backtest never needs a save first.
      const result = savedId
        ? await api.post(`/doppel/rules/${encodeURIComponent(savedId)}/backtest`, { from: from.toISOString(), to: to.toISOString() })
        : await api.post('/doppel/rules/backtest', { rule: toRule(form), from: from.toISOString(), to: to.toISOString() });
      setState({ busy: false, error: null, result, from, to });
    } catch (error) {
      setState({ busy: false, error, result: null, from, to });
    }
  };
  const data = useMemo(() => (state.result ? timeline(state.result, state.from, state.to) : null), [state.result]);
  const r = state.result;
  return html`<div class="panel" data-testid="rule-backtest">
    <h2>Backtest</h2>
    <div class="toolbar">
      <${TimeRangePicker} value=${range} onChange=${setRange} />
      <button type="button" onClick=${run} disabled=${state.busy} data-testid="rule-backtest-run">${state.busy ? 'Running…' : 'Run backtest'}</button>
      <span class="muted">${savedId ? 'the saved rule' : 'the rule as edited'}</span>
    </div>
    <${ErrorBox} error=${state.error} />
    ${r ? html`
      <p data-testid="rule-backtest-summary" data-fired=${r.fired}>Would have fired <strong>${r.fired}</strong> time${r.fired === 1 ? '' : 's'}
        on <strong>${(r.byTwin ?? []).length}</strong> of ${r.twins} twin${r.twins === 1 ? '' : 's'} in scope, ${formatTime(r.from)} – ${formatTime(r.to)}.</p>
      ${r.fired ? html`<${HistoryChart} title="Firings over time" series=${['alerts raised']} data=${data} height=${160} />` : null}
      <div class="grid-2">
        <div><h3>By twin</h3>
          <${Table} columns=${[{ key: 'twinId', title: 'Twin', render: (t) => html`<a href=${href('twins', t.twinId)}>${t.twinId}</a>` }, { key: 'count', title: 'Alerts', class: 'num' }]}
            rows=${[...(r.byTwin ?? [])].sort((a, b) => b.count - a.count)} rowKey=${(t) => t.twinId} empty="No twin would have fired." /></div>
        <div><h3>When</h3>
          <${Table} columns=${[{ key: 'twinId', title: 'Twin' }, { key: 'raisedTime', title: 'Raised', render: (a) => formatTime(a.raisedTime) },
            { key: 'resolvedTime', title: 'Resolved', render: (a) => (a.resolvedTime ? formatTime(a.resolvedTime) : html`<span class="muted">still open</span>`) },
            { key: 'value', title: 'Value', class: 'num', render: (a) => formatValue(a.value) }]}
            rows=${(r.alerts ?? []).slice(0, 500)} rowKey=${(a) => `${a.twinId}@${a.raisedTime}`} empty="Nothing." /></div>
      </div>` : null}
  </div>`;
}

function Editor({ api, rule, onSaved, onDeleted }) {
  const [form, setForm] = useState(() => (rule ? toForm(rule) : { ...EMPTY }));
  const [stored, setStored] = useState(rule ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.type === 'checkbox' ? e.target.checked : e.target.value }));
  const field = error ? fieldOf(error.message) : null;
  const bad = (name) => (field === name ? 'has-error' : '');
  // An expression's error, for the editor that holds it: its line and column, and the message.
  const codeError = (name) => (field === name ? { ...(errorPosition(error.message) ?? {}), message: error.message } : null);
  const unchanged = stored && JSON.stringify(toForm(stored)) === JSON.stringify(form);

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (!form.id.trim()) throw Object.assign(new Error('id: a rule needs an id (letters, digits, - and _).'), { code: 'RuleInvalid', status: 400 });
      const saved = await api.put(`/doppel/rules/${encodeURIComponent(form.id.trim())}`, toRule(form));
      setStored(saved);
      setForm(toForm(saved));
      setNotice(`Saved ${saved.id}.`);
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await api.delete(`/doppel/rules/${encodeURIComponent(stored.id)}`);
      onDeleted(stored.id);
    } catch (err) {
      setError(err);
    }
  };

  return html`<div class="rule-editor">
    <form class="panel" onSubmit=${save} data-testid="rule-form">
      <h2>${stored ? `Rule ${stored.id}` : 'New rule'}</h2>
      <div class="grid-2">
        <${Field} label="Id"><input type="text" name="id" value=${form.id} onInput=${set('id')} disabled=${Boolean(stored)} data-testid="rule-id" /><//>
        <${Field} label="Severity">
          <select name="severity" value=${form.severity} onChange=${set('severity')} class=${bad('severity')} data-testid="rule-severity">
            ${SEVERITIES.map((s) => html`<option value=${s}>${s}</option>`)}
          </select>
        <//>
        <${Field} label="Scope">
          <span class="row">
            <select aria-label="Scope kind" value=${form.scopeKind} onChange=${set('scopeKind')} data-testid="rule-scope-kind">
              <option value="model">Model</option><option value="query">Query</option>
            </select>
            <input type="text" class=${`mono ${bad('scope')}`} style="flex:1" aria-label="Scope" value=${form.scope} onInput=${set('scope')}
              placeholder=${form.scopeKind === 'model' ? 'dtmi:example:Pump;1' : "SELECT * FROM DIGITALTWINS WHERE …"} data-testid="rule-scope" />
          </span>
        <//>
        <${Field} label="Description"><input type="text" value=${form.description} onInput=${set('description')} /><//>
      </div>
      <${Field} label="Condition" hint="The query expression language: temperature > 90, AVG(temperature, '10m') > 80, …">
        <${CodeEditor} name="condition" label="Condition" rows=${2} value=${form.condition} onInput=${(v) => setForm((f) => ({ ...f, condition: v }))} error=${codeError('condition')} />
      <//>
      <div class="grid-2">
        <${Field} label="Clear when (hysteresis, optional)">
          <${CodeEditor} name="clear" label="Clear when" rows=${1} value=${form.clear} onInput=${(v) => setForm((f) => ({ ...f, clear: v }))} error=${codeError('clear')} />
        <//>
        <${Field} label="For (optional)" hint="How long the condition must hold: 30s, 2m"><input type="text" class=${bad('for')} value=${form.for} onInput=${set('for')} data-testid="rule-for" /><//>
      </div>
      <${Field} label="Message" hint="{twinId}, {value} and the twin's properties in braces"><input type="text" class=${bad('message')} value=${form.message} onInput=${set('message')} data-testid="rule-message" /><//>
      <label class="row"><input type="checkbox" checked=${form.enabled} onChange=${set('enabled')} /> Enabled</label>
      <${ErrorBox} error=${error} title=${error?.code === 'RuleInvalid' ? 'The rule is not valid' : undefined} />
      ${notice ? html`<div class="notice" data-testid="rule-saved">${notice}</div>` : null}
      <div class="toolbar">
        <button type="submit" class="primary" disabled=${busy} data-testid="rule-save">Save</button>
        ${stored ? html`<button type="button" class="danger" onClick=${remove} data-testid="rule-delete">Delete</button>
          <a href=${`#/alerts?ruleId=${encodeURIComponent(stored.id)}&state=`}>Its alerts</a>` : null}
      </div>
    </form>
    <${Backtest} api=${api} form=${form} savedId=${unchanged ? stored.id : null} />
  </div>`;
}

export default function RulesPage({ params, api }) {
  const rules = useAsync((s) => api.list('/doppel/rules', { signal: s }), []);
  const chosen = params?.id ?? null;
  const rule = chosen && chosen !== 'new' ? rules.data?.find((r) => r.id === chosen) : null;
  const saved = (r) => {
    rules.setData((list) => [...(list ?? []).filter((x) => x.id !== r.id), r].sort((a, b) => a.id.localeCompare(b.id)));
    if (chosen !== r.id) navigate(`rules/${encodeURIComponent(r.id)}`);
  };
  const deleted = (id) => {
    rules.setData((list) => (list ?? []).filter((x) => x.id !== id));
    navigate('rules');
  };
  return html`<section class="page rules-page">
    <h1>Rules</h1>
    <div class="toolbar">
      <button type="button" onClick=${() => navigate('rules/new')} data-testid="rule-new">New rule</button>
      <a href="#/alerts">Alerts…</a>
    </div>
    ${rules.loading && !rules.data ? html`<${Loading} />` : rules.error ? html`<${ErrorBox} error=${rules.error} onRetry=${rules.reload} />` : html`
      <${Table} rows=${rules.data} rowKey=${(r) => r.id} empty="No rules yet." onRowClick=${(r) => navigate(`rules/${encodeURIComponent(r.id)}`)}
        columns=${[
          { key: 'id', title: 'Id' },
          { key: 'severity', title: 'Severity', render: (r) => html`<${SeverityBadge} severity=${r.severity} />` },
          { key: 'scope', title: 'Scope', render: (r) => html`<code>${r.scope?.model ?? r.scope?.query}</code>` },
          { key: 'condition', title: 'Condition', render: (r) => html`<code>${r.condition}</code>${r.for ? html` <span class="muted">for ${r.for}</span>` : null}` },
          { key: 'enabled', title: 'Enabled', render: (r) => (r.enabled === false ? 'no' : 'yes') },
        ]} />`}
    ${chosen === 'new' ? html`<${Editor} key="new" api=${api} rule=${null} onSaved=${saved} onDeleted=${deleted} />` : null}
    ${rule ? html`<${Editor} key=${rule.id + rule.etag} api=${api} rule=${rule} onSaved=${saved} onDeleted=${deleted} />` : null}
    ${chosen && chosen !== 'new' && rules.data && !rule ? html`<${ErrorBox} error=${{ status: 404, code: 'RuleNotFound', message: `There is no rule '${chosen}'.` }} />` : null}
  </section>`;
}
