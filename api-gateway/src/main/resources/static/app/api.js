// Calls to the gateway with the signed-in user's bearer token; problems (RFC 9457) become ApiError.
const KEY = 'dealflow.session';

export const session = {
  get() { try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; } },
  set(token) { sessionStorage.setItem(KEY, JSON.stringify(token)); },
  clear() { sessionStorage.removeItem(KEY); },
  has(scope) { const s = this.get(); return !!s && (s.scope || '').split(' ').includes(scope); },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function call(path, { method = 'GET', body, etag, headers = {} } = {}) {
  const s = session.get();
  const h = { Accept: 'application/json', ...headers };
  if (s) h.Authorization = `Bearer ${s.accessToken}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (etag) h['If-Match'] = etag;
  const response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    session.clear();
    window.dispatchEvent(new Event('dealflow:signed-out'));
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, etag: response.headers.get('ETag') };
}

export const get = async (path) => (await call(path)).data;

/** Query string from the non-empty entries of an object. */
export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') q.set(k, v); });
  const s = q.toString();
  return s ? `?${s}` : '';
}
