// "As of" and lag of the analytics read model; views that show analytics refresh when new events were applied.
import { get } from './api.js';
import { el, when } from './ui.js';

export async function line() {
  try {
    const f = await get('/api/v1/analytics/freshness');
    const age = f.newestEventAgeMillis === null || f.newestEventAgeMillis === undefined ? '–' : `${(f.newestEventAgeMillis / 1000).toFixed(1)} s`;
    return { asOf: f.asOf, node: el('p.fresh', { 'data-as-of': f.asOf || '' },
      `As of ${when(f.asOf)} · newest event applied ${age} ago · ${f.totalLag} events not yet applied`
      + (f.waitingEvents ? ` · ${f.waitingEvents} waiting for an earlier event` : '')) };
  } catch {
    return { asOf: null, node: el('p.fresh', {}, 'Freshness unknown (analytics not answering)') };
  }
}

/** Calls {@code refresh} whenever the read model's as-of moves, while {@code node} stays on the page. */
export function watch(node, asOf, refresh) {
  let last = asOf;
  const timer = setInterval(async () => {
    if (!node.isConnected) { clearInterval(timer); return; }
    if (document.querySelector('dialog[open]') || node.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
    try {
      const f = await get('/api/v1/analytics/freshness');
      if (f.asOf !== last) { last = f.asOf; clearInterval(timer); refresh(); }
    } catch { /* the next tick tries again */ }
  }, 3000);
}
