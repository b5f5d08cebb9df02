// The query editor: an ADT query, its rows as a table, and an error pointing at its line and column.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { CodeEditor, ErrorBox, Table, errorPosition, formatValue, href, html } from '../lib/ui.js';

const EXAMPLE = 'SELECT * FROM DIGITALTWINS';
const MAX_COLUMNS = 14;

/** Columns for query rows: the keys they have, $dtId first, $metadata and $etag left out. */
export function columnsOf(rows) {
  const keys = [];
  for (const row of rows.slice(0, 200)) {
    for (const key of Object.keys(row ?? {})) {
      if (!keys.includes(key) && key !== '$metadata' && key !== '$etag') keys.push(key);
    }
  }
  keys.sort((a, b) => (a === '$dtId' ? -1 : b === '$dtId' ? 1 : 0));
  return keys.slice(0, MAX_COLUMNS).map((key) => ({
    key,
    title: key,
    render: (row) => {
      const value = row[key];
      if (key === '$dtId') return html`<a href=${href('twins', value)}>${value}</a>`;
      if (value && typeof value === 'object' && typeof value.$dtId === 'string') {
        return html`<a href=${href('twins', value.$dtId)}>${value.$dtId}</a>`;
      }
      return formatValue(value);
    },
  }));
}

export default function Query({ params }) {
  const [text, setText] = useState(params.query.q ?? EXAMPLE);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    const started = performance.now();
    try {
      const { rows, more } = await api.query(text, { max: 1000 });
      setResult({ rows, more, ms: Math.round(performance.now() - started) });
    } catch (e) {
      setResult(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const position = error ? errorPosition(error.message) : null;
  const editorError = error && (position || error.code === 'SqlQueryError')
    ? { ...(position ?? {}), message: error.message }
    : null;
  return html`<section class="page query-page">
    <h1>Query</h1>
    <p class="muted">Azure Digital Twins query language: <code>SELECT … FROM DIGITALTWINS T WHERE …</code>, <code>MATCH</code>, <code>JOIN</code>. Ctrl+Enter runs it.</p>
    <${CodeEditor} value=${text} onInput=${setText} error=${editorError} onRun=${run} label="Query" name="query" />
    <div class="toolbar">
      <button type="button" class="primary" onClick=${run} disabled=${busy} data-testid="run-query">${busy ? 'Running…' : 'Run'}</button>
      ${result ? html`<span class="muted" data-testid="row-count">${result.rows.length}${result.more ? '+' : ''} row${result.rows.length === 1 ? '' : 's'} in ${result.ms} ms</span>` : null}
    </div>
    ${error && !editorError ? html`<${ErrorBox} error=${error} />` : null}
    ${result ? html`
      ${result.more ? html`<p class="muted">The first 1,000 rows; narrow the query to see the rest.</p>` : null}
      <${Table} columns=${columnsOf(result.rows)} rows=${result.rows} empty="The query returned no rows." class="query-results" />` : null}
  </section>`;
}
