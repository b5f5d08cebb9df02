// The greenhouse pack's console page: each greenhouse's temperature against its setpoint, and its heater. It is a pack page like
// any other: the host knows nothing of it, serves it from the pack's assembly, and lists it in GET /doppel/packs.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';

const html = htm.bind(h);

export default function GreenhousePage({ params, api, signal }) {
  const [twins, setTwins] = useState(null);
  const [error, setError] = useState(null);
  const chosen = params?.query?.twin;

  useEffect(() => {
    const query = "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:greenhouse:Greenhouse;1')";
    api.query(query, { signal })
      .then(({ rows }) => setTwins(rows.filter(t => !chosen || t.$dtId === chosen)))
      .catch(e => { if (e.name !== 'AbortError') setError(e.message); });
  }, [chosen]);

  if (error) return html`<p class="error" data-testid="greenhouse-error">${error}</p>`;
  if (!twins) return html`<p>Loading greenhouses…</p>`;
  return html`
    <section data-testid="greenhouse-page">
      <h1>Greenhouses</h1>
      <table class="table">
        <thead><tr><th>greenhouse</th><th>temperature</th><th>setpoint</th><th>heater</th></tr></thead>
        <tbody>
          ${twins.map(t => html`
            <tr data-twin=${t.$dtId}>
              <td>${t.$dtId}</td><td>${t.temperature ?? '–'} °C</td><td>${t.setpoint ?? '–'} °C</td><td>${t.heaterOn ? 'on' : 'off'}</td>
            </tr>`)}
        </tbody>
      </table>
    </section>`;
}
