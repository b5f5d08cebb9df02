// Models: the inheritance tree of the uploaded DTDL interfaces, and one model's contents (its own and inherited).
import { useMemo, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { Badge, ErrorBox, Loading, Table, href, html, useAsync } from '../lib/ui.js';

const KINDS = ['Property', 'Telemetry', 'Relationship', 'Component', 'Command'];

/** A DTDL text that may be a string or a language map. */
export function text(value) {
  if (!value) return '';
  if (typeof value === 'string') return value;
  return value.en ?? Object.values(value)[0] ?? '';
}

function asList(value) {
  if (!value) return [];
  return Array.isArray(value) ? value : [value];
}

/** The kind of a content: its @type, or the DTDL kind among several types (["Telemetry", "Temperature"]). */
export function kindOf(content) {
  return asList(content['@type']).find((t) => KINDS.includes(t)) ?? asList(content['@type'])[0] ?? '';
}

/** A schema in a few words: "double", "Enum (string)", "Object", a DTMI. */
export function schemaText(schema) {
  if (!schema) return '';
  if (typeof schema === 'string') return schema;
  const type = asList(schema['@type'])[0] ?? 'schema';
  if (type === 'Enum') return `Enum of ${schema.valueSchema}: ${asList(schema.enumValues).map((v) => v.name).join(', ')}`;
  if (type === 'Map') return `Map ${schemaText(schema.mapKey?.schema)} → ${schemaText(schema.mapValue?.schema)}`;
  if (type === 'Array') return `Array of ${schemaText(schema.elementSchema)}`;
  if (type === 'Object') return `Object {${asList(schema.fields).map((f) => f.name).join(', ')}}`;
  return type;
}

/** Every model, by id, with its parents (extends) and children. */
export function modelIndex(models) {
  const byId = new Map(models.map((m) => [m.id, { ...m, parents: asList(m.model?.extends).map((e) => (typeof e === 'string' ? e : e['@id'])).filter(Boolean), children: [] }]));
  for (const m of byId.values()) {
    for (const parent of m.parents) byId.get(parent)?.children.push(m.id);
  }
  for (const m of byId.values()) m.children.sort();
  return byId;
}

/** A model's ancestors, nearest first, each once. */
function ancestors(index, id) {
  const seen = new Set();
  const order = [];
  const walk = (m) => {
    for (const parent of index.get(m)?.parents ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        order.push(parent);
        walk(parent);
      }
    }
  };
  walk(id);
  return order;
}

function TreeNode({ index, id, selected, depth, filter, path }) {
  const model = index.get(id);
  // Open near the root, and along the way to the chosen model.
  const [open, setOpen] = useState(depth < 1 || path.has(id));
  if (!model) return null;
  const label = text(model.model?.displayName ?? model.displayName) || id;
  const matches = !filter || id.toLowerCase().includes(filter) || label.toLowerCase().includes(filter);
  const childNodes = model.children.map((c) => html`<${TreeNode} key=${c} index=${index} id=${c} selected=${selected} depth=${depth + 1} filter=${filter} path=${path} />`);
  if (!matches && filter) return html`${childNodes}`;
  return html`<li>
    ${model.children.length
      ? html`<button type="button" class="link tree-toggle" aria-label=${open ? 'Collapse' : 'Expand'} onClick=${() => setOpen(!open)}>${open || filter ? '▾' : '▸'}</button>`
      : html`<span class="tree-toggle"></span>`}
    <a href=${href('models', id)} class=${id === selected ? 'active' : ''} title=${id}>${label}</a>
    ${model.decommissioned ? html` <${Badge} kind="warn">decommissioned<//>` : null}
    ${model.children.length && (open || filter) ? html`<ul>${childNodes}</ul>` : null}
  </li>`;
}

function Contents({ contents }) {
  const byKind = KINDS.map((kind) => [kind, contents.filter((c) => kindOf(c.content) === kind)]).filter(([, list]) => list.length);
  if (!byKind.length) return html`<p class="empty">No contents.</p>`;
  const from = { key: 'from', title: 'From', render: (r) => (r.from ? html`<a href=${href('models', r.from)}>${r.from}</a>` : html`<span class="muted">this model</span>`) };
  const columns = {
    Property: [
      { key: 'name', title: 'Name', render: (r) => html`<code>${r.content.name}</code>` },
      { key: 'schema', title: 'Schema', render: (r) => schemaText(r.content.schema) },
      { key: 'writable', title: 'Writable', render: (r) => (r.content.writable ? 'yes' : 'no') },
      { key: 'unit', title: 'Unit', render: (r) => r.content.unit ?? '' },
      from,
    ],
    Telemetry: [
      { key: 'name', title: 'Name', render: (r) => html`<code>${r.content.name}</code>` },
      { key: 'schema', title: 'Schema', render: (r) => schemaText(r.content.schema) },
      { key: 'unit', title: 'Unit', render: (r) => r.content.unit ?? '' },
      from,
    ],
    Relationship: [
      { key: 'name', title: 'Name', render: (r) => html`<code>${r.content.name}</code>` },
      { key: 'target', title: 'Target', render: (r) => (r.content.target ? html`<a href=${href('models', r.content.target)}>${r.content.target}</a>` : 'any twin') },
      { key: 'max', title: 'At most', render: (r) => r.content.maxMultiplicity ?? '' },
      { key: 'props', title: 'Properties', render: (r) => asList(r.content.properties).map((p) => p.name).join(', ') },
      from,
    ],
    Component: [
      { key: 'name', title: 'Name', render: (r) => html`<code>${r.content.name}</code>` },
      { key: 'schema', title: 'Interface', render: (r) => (typeof r.content.schema === 'string' ? html`<a href=${href('models', r.content.schema)}>${r.content.schema}</a>` : schemaText(r.content.schema)) },
      from,
    ],
    Command: [
      { key: 'name', title: 'Name', render: (r) => html`<code>${r.content.name}</code>` },
      { key: 'request', title: 'Request', render: (r) => (r.content.request ? `${r.content.request.name}: ${schemaText(r.content.request.schema)}` : '') },
      { key: 'response', title: 'Response', render: (r) => (r.content.response ? `${r.content.response.name}: ${schemaText(r.content.response.schema)}` : '') },
      from,
    ],
  };
  return html`${byKind.map(([kind, list]) => html`<section class="model-contents" data-kind=${kind}>
    <h3>${kind === 'Property' ? 'Properties' : kind === 'Telemetry' ? 'Telemetry' : `${kind}s`} <span class="muted">(${list.length})</span></h3>
    <${Table} columns=${columns[kind]} rows=${list} rowKey=${(r) => `${r.from ?? ''}/${r.content.name}`} />
  </section>`)}`;
}

function ModelDetail({ index, id }) {
  const model = index.get(id);
  if (!model) return html`<${ErrorBox} error=${{ status: 404, code: 'ModelNotFound', message: `There is no model ${id}.` }} />`;
  const inherited = ancestors(index, id);
  const contents = [
    ...asList(model.model?.contents).map((content) => ({ content, from: null })),
    ...inherited.flatMap((a) => asList(index.get(a)?.model?.contents).map((content) => ({ content, from: a }))),
  ];
  return html`<div class="model-detail" data-testid="model-detail">
    <h2>${text(model.model?.displayName ?? model.displayName) || id}</h2>
    <p><code>${id}</code> ${model.decommissioned ? html`<${Badge} kind="warn">decommissioned<//>` : null}</p>
    ${text(model.model?.description ?? model.description) ? html`<p>${text(model.model?.description ?? model.description)}</p>` : null}
    <p>
      ${model.parents.length ? html`Extends ${model.parents.map((p, i) => html`${i ? ', ' : ''}<a href=${href('models', p)}>${p}</a>`)}. ` : 'Extends nothing. '}
      ${model.children.length ? html`Extended by ${model.children.map((c, i) => html`${i ? ', ' : ''}<a href=${href('models', c)}>${c}</a>`)}. ` : ''}
      <a href=${`#/twins?model=${encodeURIComponent(id)}`}>Twins of this model</a>
    </p>
    <${Contents} contents=${contents} />
    <details><summary>DTDL</summary><pre class="json">${JSON.stringify(model.model, null, 2)}</pre></details>
  </div>`;
}

export default function Models({ params }) {
  const models = useAsync((signal) => api.list(api.adt('/models', { includeModelDefinition: true }), { signal }), []);
  const [filter, setFilter] = useState('');
  const index = useMemo(() => (models.data ? modelIndex(models.data) : null), [models.data]);
  if (models.loading && !models.data) return html`<section class="page"><h1>Models</h1><${Loading} /></section>`;
  if (models.error) return html`<section class="page"><h1>Models</h1><${ErrorBox} error=${models.error} onRetry=${models.reload} /></section>`;
  const roots = [...index.values()].filter((m) => !m.parents.some((p) => index.has(p))).map((m) => m.id).sort();
  const selected = params.id;
  const path = new Set(selected ? ancestors(index, selected) : []);
  return html`<section class="page models-page">
    <h1>Models <span class="muted">(${index.size})</span></h1>
    <div class="split">
      <div class="panel tree-panel">
        <input type="search" placeholder="Filter models" aria-label="Filter models" value=${filter} onInput=${(e) => setFilter(e.target.value.toLowerCase())} />
        ${roots.length ? html`<ul class="tree" data-testid="model-tree">${roots.map((id) => html`<${TreeNode} key=${id} index=${index} id=${id} selected=${selected} depth=${0} filter=${filter} path=${path} />`)}</ul>`
          : html`<p class="empty">No models yet: upload some (doppel models upload FILE) or load a pack's.</p>`}
      </div>
      <div class="detail-panel">
        ${selected ? html`<${ModelDetail} index=${index} id=${selected} />` : html`<p class="muted">Choose a model to see its contents.</p>`}
      </div>
    </div>
  </section>`;
}
