// Operations: what the server is doing, from GET /doppel/status every two seconds (ingest rate as the difference of two
// readings of the message counters, history's size, queues, drops), the recent dead letters with their reasons
// (GET /doppel/deadletters), and every instrument of the Doppel meter with its totals since start.
import { useEffect, useRef, useState } from 'preact/hooks';
import { LiveChart } from '../lib/charts.js';
import { ErrorBox, Field, Loading, Table, formatTime, formatValue, href, html, useAsync, useInterval } from '../lib/ui.js';

const POLL_MS = 2000;

function sum(values) {
  return Object.values(values ?? {}).reduce((a, b) => a + b, 0);
}

function bytes(n) {
  if (!Number.isFinite(n)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) { n /= 1024; u += 1; }
  return `${u === 0 ? n : n.toFixed(1)} ${units[u]}`;
}

function rate(value) {
  return value === null ? '…' : value >= 100 ? Math.round(value).toLocaleString() : value.toFixed(1);
}

function Card({ title, value, hint, testid }) {
  return html`<div class="panel card" data-testid=${testid}>
    <div class="muted">${title}</div>
    <div style="font-size:1.6rem;font-weight:600;font-variant-numeric:tabular-nums">${value}</div>
    ${hint ? html`<div class="muted" style="font-size:.85rem">${hint}</div>` : null}
  </div>`;
}

function DeadLetters({ api, reasons }) {
  const [reason, setReason] = useState('');
  const letters = useAsync((s) => api.send('GET', api.url('/doppel/deadletters', { reason }), { signal: s, headers: { 'max-items-per-page': '25' } }).then((r) => r.data), [reason]);
  useInterval(() => letters.reload(), 10000);
  return html`<div class="panel" data-testid="operations-deadletters">
    <div class="toolbar">
      <h2 style="margin:0">Dead letters</h2>
      <${Field} label="Reason"><input type="text" list="dead-letter-reasons" value=${reason} onChange=${(e) => setReason(e.target.value.trim())} placeholder="any" /><//>
      <datalist id="dead-letter-reasons">${reasons.map((r) => html`<option value=${r} />`)}</datalist>
      <button type="button" onClick=${letters.reload}>Refresh</button>
      ${letters.data ? html`<span class="muted">${letters.data.total} in all${reason ? ` with reason ${reason}` : ''}, newest first</span>` : null}
    </div>
    ${letters.loading && !letters.data ? html`<${Loading} />` : letters.error ? html`<${ErrorBox} error=${letters.error} />` : html`
      <${Table} rows=${letters.data.value} rowKey=${(l) => `${l.time}|${l.topic}|${l.twinId}|${l.message}`} empty="No dead letters."
        columns=${[
          { key: 'time', title: 'Time', render: (l) => formatTime(l.time) },
          { key: 'reason', title: 'Reason', render: (l) => html`<code>${l.reason}</code>` },
          { key: 'source', title: 'Source' },
          { key: 'twinId', title: 'Twin', render: (l) => (l.twinId ? html`<a href=${href('twins', l.twinId)}>${l.twinId}</a>` : '') },
          { key: 'topic', title: 'Topic', render: (l) => html`<code>${l.topic}</code>` },
          { key: 'message', title: 'Why' },
          { key: 'payload', title: 'Payload', render: (l) => html`<code title=${l.payload}>${String(l.payload ?? '').slice(0, 80)}</code>` },
        ]} />`}
  </div>`;
}

function Metrics({ metrics }) {
  const rows = [];
  for (const m of metrics ?? []) {
    const values = m.values.length ? m.values : [{ tags: {}, value: 0 }];
    for (const v of values) {
      const tags = Object.entries(v.tags ?? {}).map(([k, t]) => `${k}=${t}`).join(', ');
      const value = m.kind === 'histogram'
        ? `${v.count} · mean ${formatValue(v.count ? v.sum / v.count : null)} · max ${formatValue(v.max)}`
        : formatValue(v.value);
      rows.push({ key: `${m.name}|${tags}`, name: m.name, kind: m.kind, unit: m.unit ?? '', tags, value, description: m.description });
    }
  }
  return html`<${Table} rows=${rows} rowKey=${(r) => r.key} empty="No metrics."
    columns=${[
      { key: 'name', title: 'Instrument', render: (r) => html`<code title=${r.description}>${r.name}</code>` },
      { key: 'kind', title: 'Kind' },
      { key: 'tags', title: 'Tags' },
      { key: 'value', title: 'Since start', class: 'num' },
      { key: 'unit', title: 'Unit' },
    ]} />`;
}

export default function OperationsPage({ api, signal }) {
  const [status, setStatus] = useState(null);
  const [error, setError] = useState(null);
  const [rates, setRates] = useState({ messages: null, points: null, deadLetters: null });
  const previous = useRef(null);
  const chart = useRef(null);

  const poll = async () => {
    try {
      const now = await api.get('/doppel/status', { signal });
      const before = previous.current;
      if (before) {
        const seconds = (Date.parse(now.time) - Date.parse(before.time)) / 1000;
        if (seconds > 0) {
          const per = (a, b) => Math.max(0, (a - b) / seconds);
          const next = {
            messages: per(sum(now.ingest.messages), sum(before.ingest.messages)),
            stored: per(now.ingest.messages.stored ?? 0, before.ingest.messages.stored ?? 0),
            points: per(now.ingest.points, before.ingest.points),
            deadLetters: per(sum(now.ingest.deadLetters), sum(before.ingest.deadLetters)),
          };
          setRates(next);
          chart.current?.push(Date.parse(now.time), [next.messages, next.points, next.deadLetters]);
        }
      }
      previous.current = now;
      setStatus(now);
      setError(null);
    } catch (e) {
      if (e.name !== 'AbortError') setError(e);
    }
  };
  useEffect(() => { poll(); }, []);
  useInterval(poll, POLL_MS);

  if (!status && !error) return html`<section class="page"><h1>Operations</h1><${Loading} /></section>`;
  return html`<section class="page operations-page">
    <h1>Operations</h1>
    <${ErrorBox} error=${error} />
    ${status ? html`
      <p class="muted">Doppel ${status.version} · server time ${formatTime(status.time)} · refreshed every ${POLL_MS / 1000} s</p>
      <div class="charts" style="grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))">
        <${Card} testid="ops-ingest-rate" title="Ingest rate" value=${`${rate(rates.messages)} msg/s`} hint=${`${rate(rates.points ?? null)} points/s`} />
        <${Card} testid="ops-messages" title="Messages since start" value=${sum(status.ingest.messages).toLocaleString()}
          hint=${Object.entries(status.ingest.messages).map(([k, v]) => `${k} ${v}`).join(' · ') || 'none yet'} />
        <${Card} testid="ops-deadletters" title="Dead letters" value=${status.deadLetters.total.toLocaleString()}
          hint=${Object.entries(status.ingest.deadLetters).map(([k, v]) => `${k} ${v}`).join(' · ') || 'none since start'} />
        <${Card} testid="ops-history" title="History" value=${bytes(status.history.bytes)} hint=${`${status.history.points.toLocaleString()} points · ${status.history.queue} queued`} />
        <${Card} testid="ops-twins" title="Twins" value=${status.twins.toLocaleString()} hint=${`${status.models} models`} />
        <${Card} testid="ops-events" title="Events dropped" value=${status.events.dropped.toLocaleString()} hint="slow live-stream readers" />
        ${status.alerts ? html`<${Card} testid="ops-alerts" title=${html`<a href="#/alerts">Open alerts</a>`} value=${status.alerts.open.toLocaleString()}
          hint=${`raised since start: ${Object.entries(status.alerts.raised).map(([k, v]) => `${k} ${v}`).join(' · ') || 'none'}`} />` : null}
      </div>
      <h2>Ingest</h2>
      <${LiveChart} title="Per second" series=${['messages', 'points', 'dead letters']} windowSeconds=${300} capacity=${600} height=${180} onReady=${(c) => { chart.current = c; }} />
      <p class="muted">By source since start: ${Object.entries(status.ingest.bySource).map(([k, v]) => `${k} ${v}`).join(' · ') || 'none yet'}.
        Prometheus reads the same figures at <code>/metrics</code>; <code>deploy/grafana/doppel-dashboard.json</code> is a Grafana dashboard of them.</p>` : null}
    <${DeadLetters} api=${api} reasons=${Object.keys(status?.ingest.deadLetters ?? {})} />
    ${status ? html`<h2>Metrics</h2><${Metrics} metrics=${status.metrics} />` : null}
  </section>`;
}
