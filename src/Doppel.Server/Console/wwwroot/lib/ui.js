// Small shared pieces of the console's pages: the html template tag, loading state, error box, table, time range.
import { h, Fragment } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

/** Tagged templates for Preact: html`<div class=${c}>${x}</div>`. */
export const html = htm.bind(h);
export { Fragment };

/** Goes to a page of the console: navigate('twins/pump-1'). */
export function navigate(path) {
  location.hash = `#/${path.replace(/^#?\//, '')}`;
}

/** The console's address of a page: href('twins', id) → '#/twins/<id, encoded>'. */
export function href(...parts) {
  return `#/${parts.filter((p) => p !== undefined && p !== null).map((p) => encodeURIComponent(p)).join('/')}`;
}

/**
 * Runs an async loader (given an AbortSignal) whenever deps change; a newer run aborts the older one.
 * Answers { data, error, loading, reload, setData }.
 */
export function useAsync(load, deps = []) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve()
      .then(() => load(controller.signal))
      .then(
        (data) => { if (!controller.signal.aborted) setState({ data, error: null, loading: false }); },
        (error) => { if (!controller.signal.aborted && error?.name !== 'AbortError') setState({ data: undefined, error, loading: false }); },
      );
    return () => controller.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((data) => setState((s) => ({ ...s, data: typeof data === 'function' ? data(s.data) : data })), []);
  return { ...state, reload, setData };
}

export function Loading({ label = 'Loading…' }) {
  return html`<p class="loading" role="status">${label}</p>`;
}

/** An API error as the user should read it: 403 says what is not allowed, never swallowed. */
export function ErrorBox({ error, title, onRetry }) {
  if (!error) return null;
  const status = error.status ?? 0;
  const heading = title ?? (status === 403 ? 'Not allowed'
    : status === 401 ? 'Sign-in needed'
      : status === 412 ? 'Changed by someone else'
        : status === 404 ? 'Not found'
          : status === 0 && error.code === 'NetworkError' ? 'No answer from the server'
            : 'Error');
  return html`<div class=${`error-box${status === 403 ? ' forbidden' : ''}`} role="alert" data-status=${status} data-code=${error.code ?? ''}>
    <strong>${heading}</strong>${error.code ? html` <code>${error.code}</code>` : null}${status ? html` <span class="muted">(HTTP ${status})</span>` : null}
    <div class="error-message">${error.message ?? String(error)}</div>
    ${onRetry ? html`<button type="button" onClick=${onRetry}>Try again</button>` : null}
  </div>`;
}

/**
 * A table. columns: [{ key, title, render?(row) → content, class? }]; rows: objects; rowKey(row) → key (default row.$dtId ?? row.id ?? index).
 */
export function Table({ columns, rows, empty = 'Nothing to show.', rowKey, class: className = '', onRowClick }) {
  if (!rows?.length) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap"><table class=${`table ${className}`}>
    <thead><tr>${columns.map((c) => html`<th class=${c.class ?? ''}>${c.title ?? c.key}</th>`)}</tr></thead>
    <tbody>${rows.map((row, i) => html`<tr key=${rowKey ? rowKey(row) : row.$dtId ?? row.id ?? i}
        class=${onRowClick ? 'clickable' : ''} onClick=${onRowClick ? () => onRowClick(row) : undefined}>
      ${columns.map((c) => html`<td class=${c.class ?? ''}>${c.render ? c.render(row) : formatValue(row[c.key])}</td>`)}
    </tr>`)}</tbody>
  </table></div>`;
}

/** A value as short text: numbers rounded to 6 significant digits, objects as JSON. */
export function formatValue(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** An ISO time (or Date, or ms) in the browser's locale, to the second. */
export function formatTime(time) {
  if (time === undefined || time === null || time === '') return '';
  const date = time instanceof Date ? time : new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleString(undefined, { hour12: false });
}

export function JsonView({ value }) {
  return html`<pre class="json">${JSON.stringify(value, null, 2)}</pre>`;
}

export function Badge({ kind = '', children }) {
  return html`<span class=${`badge ${kind}`}>${children}</span>`;
}

/** A labelled form field. */
export function Field({ label, children, hint }) {
  return html`<label class="field"><span class="field-label">${label}</span>${children}${hint ? html`<small class="muted">${hint}</small>` : null}</label>`;
}

/** The ranges a time picker offers, and how far back each reaches. */
export const RANGES = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60e3 },
  { id: '1h', label: 'Last hour', ms: 3600e3 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3600e3 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3600e3 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600e3 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 24 * 3600e3 },
];

/** A range { preset, from, to } as Dates: a preset counts back from now; 'custom' uses from and to as given. */
export function resolveRange(range) {
  if (range.preset && range.preset !== 'custom') {
    const preset = RANGES.find((r) => r.id === range.preset) ?? RANGES[1];
    const to = new Date();
    return { from: new Date(to.getTime() - preset.ms), to };
  }
  return { from: new Date(range.from), to: new Date(range.to) };
}

function localInput(date) {
  const d = new Date(date);
  const offset = d.getTimezoneOffset() * 60e3;
  return new Date(d.getTime() - offset).toISOString().slice(0, 16);
}

/** Picks a time range: a preset, or custom from/to. value: { preset, from, to }; onChange(next). */
export function TimeRangePicker({ value, onChange }) {
  const custom = value.preset === 'custom';
  const choose = (preset) => {
    if (preset === 'custom') {
      const { from, to } = resolveRange(value);
      onChange({ preset, from: from.toISOString(), to: to.toISOString() });
    } else {
      onChange({ preset });
    }
  };
  return html`<span class="range-picker">
    <select aria-label="Time range" value=${value.preset} onChange=${(e) => choose(e.target.value)}>
      ${RANGES.map((r) => html`<option value=${r.id}>${r.label}</option>`)}
      <option value="custom">Custom…</option>
    </select>
    ${custom ? html`
      <input type="datetime-local" aria-label="From" value=${localInput(value.from)} onChange=${(e) => onChange({ ...value, from: new Date(e.target.value).toISOString() })} />
      <input type="datetime-local" aria-label="To" value=${localInput(value.to)} onChange=${(e) => onChange({ ...value, to: new Date(e.target.value).toISOString() })} />` : null}
  </span>`;
}

/** Calls fn every ms while mounted (e.g. to refresh a list). */
export function useInterval(fn, ms) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!ms) return undefined;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}

/**
 * Where an API error points in a text: "… at 2:12" (queries) or "line 2, column 12" (rules). Answers { line, column } or null.
 */
export function errorPosition(message) {
  const m = /\bat (\d+):(\d+)\b/.exec(message ?? '') ?? /\bline (\d+),? column (\d+)/i.exec(message ?? '');
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/**
 * A plain code editor: a textarea with line numbers, that marks an error's line in the gutter, shows the line with a
 * caret under the column, and puts the cursor there. error: { line, column, message } or null; onRun: Ctrl+Enter.
 */
export function CodeEditor({ value, onInput, error, onRun, rows = 6, label = 'Code', name }) {
  const area = useRef(null);
  const gutter = useRef(null);
  const lines = value.split('\n');
  useEffect(() => {
    if (!error?.line || !area.current) return;
    let offset = 0;
    for (let i = 0; i < error.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, (error.column ?? 1) - 1);
    area.current.focus();
    area.current.setSelectionRange(offset, Math.min(value.length, offset + 1));
  }, [error?.line, error?.column, error?.message]);
  const badLine = error?.line ? lines[error.line - 1] ?? '' : null;
  return html`<div>
    <div class=${`code-editor${error ? ' has-error' : ''}`}>
      <div class="gutter" ref=${gutter} aria-hidden="true">${lines.map((_, i) => html`<div class=${error?.line === i + 1 ? 'bad' : ''}>${i + 1}</div>`)}</div>
      <textarea ref=${area} name=${name} aria-label=${label} rows=${Math.max(rows, lines.length)} spellcheck="false" value=${value}
        onInput=${(e) => onInput(e.target.value)}
        onScroll=${(e) => { if (gutter.current) gutter.current.scrollTop = e.target.scrollTop; }}
        onKeyDown=${(e) => { if (onRun && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); onRun(); } }}></textarea>
    </div>
    ${error ? html`<div class="code-error" role="alert" data-testid="code-error">
      ${error.line ? html`<strong>Line ${error.line}, column ${error.column}:</strong> ` : null}${error.message}
      ${badLine !== null ? html`<pre class="caret">${`${badLine}\n${' '.repeat(Math.max(0, (error.column ?? 1) - 1))}^`}</pre>` : null}
    </div>` : null}
  </div>`;
}
