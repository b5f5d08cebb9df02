// Twins: search and filter (by model, id and a property), and each twin's page (twin.js).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { ErrorBox, Field, Loading, Table, formatValue, href, html, navigate, useAsync } from '../lib/ui.js';
import TwinPage, { loadModels } from './twin.js';

const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'starts with'];

/** A literal of the query language: a number or boolean as typed, anything else a quoted string. */
export function literal(text) {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed) || trimmed === 'true' || trimmed === 'false' || trimmed === 'null') return trimmed;
  return `'${trimmed.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_]*(\.[A-Za-z_$][A-Za-z0-9_]*)*$/;

/** The query a search stands for: SELECT * FROM DIGITALTWINS T WHERE … (model, id part, property condition). */
export function searchQuery({ model, id, prop, op, value }) {
  const where = [];
  if (model) where.push(`IS_OF_MODEL(T, ${literal(model)})`);
  if (id) where.push(`CONTAINS(T.$dtId, ${literal(id)})`);
  if (prop && NAME.test(prop)) {
    if (op === 'contains') where.push(`CONTAINS(T.${prop}, ${literal(value ?? '')})`);
    else if (op === 'starts with') where.push(`STARTSWITH(T.${prop}, ${literal(value ?? '')})`);
    else if (value === undefined || value === '') where.push(`IS_DEFINED(T.${prop})`);
    else where.push(`T.${prop} ${OPERATORS.includes(op) ? op : '='} ${literal(value)}`);
  }
  return `SELECT * FROM DIGITALTWINS T${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

/** A few of a twin's own values, for the list. */
function summary(twin) {
  return Object.entries(twin)
    .filter(([k, v]) => !k.startsWith('$') && (typeof v !== 'object' || v === null))
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(' · ');
}

function TwinSearch({ params }) {
  const initial = { model: params.query.model ?? '', id: params.query.id ?? '', prop: params.query.prop ?? '', op: params.query.op ?? '=', value: params.query.value ?? '' };
  const [form, setForm] = useState(initial);
  const filter = initial;
  const models = useAsync((signal) => loadModels(signal), []);
  const query = searchQuery(filter);
  const twins = useAsync((signal) => api.query(query, { signal, max: 500 }), [query]);
  useEffect(() => setForm(initial), [params.query.model, params.query.id, params.query.prop, params.query.op, params.query.value]);
  const submit = (e) => {
    e.preventDefault();
    const search = new URLSearchParams(Object.entries(form).filter(([k, v]) => v && !(k === 'op' && v === '='))).toString();
    navigate(`twins${search ? `?${search}` : ''}`);
  };
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  return html`<section class="page twins-page">
    <h1>Twins</h1>
    <form class="panel row" onSubmit=${submit} data-testid="twin-search">
      <${Field} label="Model (and models that extend it)">
        <select name="model" value=${form.model} onChange=${set('model')}>
          <option value="">Any model</option>
          ${(models.data ?? []).map((m) => html`<option value=${m.id}>${m.id}</option>`)}
        </select>
      <//>
      <${Field} label="Id contains"><input type="search" name="id" value=${form.id} onInput=${set('id')} /><//>
      <${Field} label="Property"><input type="text" name="prop" value=${form.prop} onInput=${set('prop')} placeholder="e.g. state" style="min-width:8rem" /><//>
      <${Field} label="Is"><select name="op" value=${form.op} onChange=${set('op')}>${OPERATORS.map((o) => html`<option value=${o}>${o}</option>`)}</select><//>
      <${Field} label="Value"><input type="text" name="value" value=${form.value} onInput=${set('value')} placeholder="any value" style="min-width:8rem" /><//>
      <button type="submit" class="primary">Search</button>
    </form>
    ${filter.prop && !NAME.test(filter.prop) ? html`<${ErrorBox} error=${{ code: 'InvalidArgument', message: `'${filter.prop}' is not a property name (letters, digits and _, dotted for a component).` }} />` : null}
    <p class="muted"><code>${query}</code> · <a href=${`#/query?q=${encodeURIComponent(query)}`}>open in the query editor</a></p>
    ${twins.loading && !twins.data ? html`<${Loading} />` : twins.error ? html`<${ErrorBox} error=${twins.error} onRetry=${twins.reload} />` : html`
      <p class="muted" data-testid="twin-count">${twins.data.rows.length}${twins.data.more ? '+' : ''} twin${twins.data.rows.length === 1 ? '' : 's'}</p>
      <${Table} class="twin-list" rows=${twins.data.rows} empty="No twin matches." onRowClick=${(t) => navigate(`twins/${encodeURIComponent(t.$dtId)}`)} columns=${[
        { key: '$dtId', title: 'Twin', render: (t) => html`<a href=${href('twins', t.$dtId)}>${t.$dtId}</a>` },
        { key: 'model', title: 'Model', render: (t) => html`<a href=${href('models', t.$metadata?.$model)}>${t.$metadata?.$model}</a>` },
        { key: 'values', title: 'Values', render: summary },
      ]} />`}
  </section>`;
}

export default function Twins(props) {
  return props.params.id ? html`<${TwinPage} ...${props} />` : html`<${TwinSearch} ...${props} />`;
}
