// Small DOM helpers shared by the views.

/** el('div.card', {attrs}, children...) */
export function el(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag);
  if (classes.length) node.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function notice(message, error = false) {
  const box = document.getElementById('notice');
  box.className = error ? 'error' : '';
  box.textContent = message || '';
  if (message) setTimeout(() => { if (box.textContent === message) box.textContent = ''; }, 8000);
}

export function money(value, currency) {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  try { return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(n); }
  catch { return `${value} ${currency}`; }
}

export function amounts(map) {
  const entries = Object.entries(map || {});
  return entries.length ? entries.map(([c, t]) => `${money(t.total, c)} (weighted ${money(t.weighted, c)})`).join(' · ') : 'nothing open';
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
export const pct = (x) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
export const num = (x, digits = 1) => (x === null || x === undefined ? '–' : Number(x).toFixed(digits));

/** A labelled form control. */
export function field(label, control) {
  return el('label', {}, label, control);
}

export function select(name, options, value, attrs = {}) {
  return el('select', { name, ...attrs }, options.map(([v, text]) => el('option', { value: v, selected: v === value }, text)));
}

/** An ECharts chart in a sized box; charts are optional (the tables carry the same numbers). */
export function chart(node, option) {
  if (!window.echarts) return;
  const instance = window.echarts.getInstanceByDom(node) || window.echarts.init(node);
  instance.setOption(option, true);
  new ResizeObserver(() => instance.resize()).observe(node);
}
