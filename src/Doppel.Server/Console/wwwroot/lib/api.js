// The console's one way to the REST API: the same endpoints every other client calls, with the user's credential, so
// the server's policies decide what the user sees and may do. Errors arrive in ADT's shape and become ApiError.

export const API_VERSION = '2023-10-31';

/** An error answer of the API: HTTP status, ADT error code and message (403 Forbidden, 412 PreconditionFailed…). */
export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }

  get forbidden() { return this.status === 403; }
  get unauthorized() { return this.status === 401; }
  get conflict() { return this.status === 409 || this.status === 412; }
}

let credential = () => null;
let onUnauthorized = () => {};

/** Set by lib/auth.js: where the bearer credential comes from, and who hears of a 401. */
export function configureApi({ token, unauthorized }) {
  if (token) credential = token;
  if (unauthorized) onUnauthorized = unauthorized;
}

/** Tells lib/auth.js that the server refused the credential (a 401 met outside api's own requests, e.g. by a stream). */
export function reportUnauthorized(error) { onUnauthorized(error); }

/** The current bearer credential (API key or OIDC access token), or null when anonymous. */
export function currentToken() { return credential(); }

/** A path (or absolute URL, such as a nextLink) with query parameters; null, undefined and '' are left out, arrays repeat. */
export function url(path, query = {}) {
  const u = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value) u.searchParams.append(name, String(v));
    } else {
      u.searchParams.set(name, value instanceof Date ? value.toISOString() : String(value));
    }
  }
  return u.origin === location.origin ? u.pathname + u.search : u.href;
}

/** An ADT data-plane path (/models, /digitaltwins, /query…) with its api-version. */
export function adt(path, query = {}) {
  return url(path, { ...query, 'api-version': API_VERSION });
}

/** Reads an error response into an ApiError (ADT's {"error":{"code","message"}}, or the status text). */
export async function readError(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  const error = body?.error ?? {};
  const code = error.code ?? (response.status === 401 ? 'Unauthorized' : response.status === 403 ? 'Forbidden' : `HTTP${response.status}`);
  const message = error.message ?? (response.status === 401
    ? 'Sign-in needed: the server wants a credential.'
    : `${response.status} ${response.statusText}`.trim());
  return new ApiError(response.status, code, message, body);
}

/**
 * Sends a request and answers the Response when it succeeded; throws ApiError otherwise.
 * options: body (object → JSON, string/Blob as is), contentType, headers, signal, query.
 */
async function request(method, path, options = {}) {
  const headers = new Headers(options.headers ?? {});
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  const token = credential();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let body = options.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Blob) && !(body instanceof FormData)) {
    body = JSON.stringify(body);
    if (!headers.has('Content-Type')) headers.set('Content-Type', options.contentType ?? 'application/json');
  } else if (body !== undefined && options.contentType) {
    headers.set('Content-Type', options.contentType);
  }
  let response;
  try {
    response = await fetch(options.query ? url(path, options.query) : path, { method, headers, body, signal: options.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NetworkError', `The server did not answer (${e.message}).`);
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  return response;
}

async function json(method, path, options = {}) {
  const response = await request(method, path, options);
  const text = response.status === 204 ? '' : await response.text();
  return { data: text ? JSON.parse(text) : null, etag: response.headers.get('ETag'), status: response.status, headers: response.headers };
}

/** Every item of a paged list ({"value":[…],"nextLink"}), following nextLink up to options.max items (default 10,000). */
async function list(path, options = {}) {
  const max = options.max ?? 10000;
  const items = [];
  let next = options.query ? url(path, options.query) : path;
  while (next && items.length < max) {
    const { data } = await json('GET', next, { signal: options.signal });
    items.push(...(data?.value ?? []));
    next = data?.nextLink ?? null;
  }
  return items.slice(0, max);
}

/** Runs an ADT query, following continuation tokens up to options.max rows (default 1,000). Answers { rows, more }. */
async function query(text, options = {}) {
  const max = options.max ?? 1000;
  const rows = [];
  let continuationToken = null;
  do {
    const { data } = await json('POST', adt('/query'), { body: continuationToken ? { continuationToken } : { query: text }, signal: options.signal });
    rows.push(...(data?.value ?? []));
    continuationToken = data?.continuationToken ?? null;
  } while (continuationToken && rows.length < max);
  return { rows: rows.slice(0, max), more: Boolean(continuationToken) || rows.length > max };
}

/** Fetches a file with the credential and hands it to the browser as a download named from Content-Disposition or fallbackName. */
async function download(path, fallbackName, options = {}) {
  const response = await request('GET', path, { ...options, headers: { Accept: '*/*', ...(options.headers ?? {}) } });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = decodeURIComponent(name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
  return { name: a.download, size: blob.size };
}

/**
 * The API client. Every method throws ApiError on an error answer.
 *   get(path, opts) → body · getWithEtag(path, opts) → { data, etag } · post/put/patch(path, body, opts) → body
 *   delete(path, opts) · send(method, path, opts) → { data, etag, status, headers } · request(method, path, opts) → Response
 *   list(path, opts) → items over nextLink · query(sql, opts) → { rows, more } · download(path, name, opts)
 *   url(path, query) · adt(path, query) (adds api-version)
 * opts: { query, headers, signal, contentType }.
 */
export const api = {
  request,
  send: (method, path, options) => json(method, path, options),
  get: async (path, options) => (await json('GET', path, options)).data,
  getWithEtag: async (path, options) => { const r = await json('GET', path, options); return { data: r.data, etag: r.etag }; },
  post: async (path, body, options = {}) => (await json('POST', path, { ...options, body })).data,
  put: async (path, body, options = {}) => (await json('PUT', path, { ...options, body })).data,
  patch: async (path, body, options = {}) => (await json('PATCH', path, { ...options, body })).data,
  delete: async (path, options) => (await json('DELETE', path, options)).data,
  list,
  query,
  download,
  url,
  adt,
};
