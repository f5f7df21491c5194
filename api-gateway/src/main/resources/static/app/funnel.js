// The funnel: reached, conversion, drop-off and time in stage per stage; the customer-journey phases; time travel.
import { get, query } from './api.js';
import { el, field, select, pct, num, chart } from './ui.js';
import * as freshness from './freshness.js';

const f = { pipelineId: '', ownerId: '', source: '', from: '', to: '', at: '', compareAt: '' };
const iso = (local) => (local ? new Date(local).toISOString() : '');

export async function render(main) {
  const pipelines = await get('/api/v1/pipelines');
  if (!f.pipelineId) f.pipelineId = pipelines[0]?.id;
  const params = { pipelineId: f.pipelineId, ownerId: f.ownerId, source: f.source, from: iso(f.from), to: iso(f.to) };
  const [funnel, phases, fresh] = await Promise.all([get('/api/v1/funnel' + query({ ...params, at: iso(f.at) })),
    get('/api/v1/funnel/phases' + query({ ...params, at: iso(f.at) })), freshness.line()]);
  const compare = f.compareAt ? await get('/api/v1/funnel' + query({ ...params, at: iso(f.compareAt) })) : null;

  const inputs = {
    pipelineId: select('pipelineId', pipelines.map((p) => [p.id, p.name]), f.pipelineId),
    ownerId: el('input', { name: 'ownerId', value: f.ownerId, placeholder: 'any', size: 10 }),
    source: el('input', { name: 'source', value: f.source, placeholder: 'any', size: 10 }),
    from: el('input', { name: 'from', type: 'datetime-local', value: f.from }),
    to: el('input', { name: 'to', type: 'datetime-local', value: f.to }),
    at: el('input', { name: 'at', id: 'funnel-at', type: 'datetime-local', value: f.at }),
    compareAt: el('input', { name: 'compareAt', id: 'funnel-compare-at', type: 'datetime-local', value: f.compareAt }),
  };
  const form = el('form.bar', { role: 'search', id: 'funnel-filters' }, field('Pipeline', inputs.pipelineId), field('Owner', inputs.ownerId),
    field('Source', inputs.source), field('Created from', inputs.from), field('Created before', inputs.to),
    field('As it stood at', inputs.at), field('Compare with', inputs.compareAt), el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => { e.preventDefault(); Object.keys(inputs).forEach((k) => { f[k] = inputs[k].value; }); render(main); });

  const stages = funnel.stages;
  const box = el('div.chart', { role: 'img', 'aria-label': 'Funnel chart of deals reached per stage' });
  const t = funnel.totals;
  main.replaceChildren(el('h1', {}, `Funnel: ${funnel.pipelineName}${f.at ? ' as it stood at ' + new Date(f.at).toLocaleString() : ''}`),
    fresh.node, form,
    el('p', { id: 'funnel-totals', 'data-deals': t.deals, 'data-won': t.won }, `${t.deals} deals · ${t.open} open · ${t.won} won · ${t.lost} lost · win rate ${pct(t.winRate)}`),
    el('div.grid2', {}, el('section.panel', {}, box), phaseTable(phases)),
    el('section.panel', { 'aria-labelledby': 'stages-title' }, el('h2', { id: 'stages-title' }, 'Stages'), el('div.scroll', {}, stageTable(stages, compare))));
  chart(box, {
    tooltip: { trigger: 'item' },
    series: [{ type: 'funnel', sort: 'none', minSize: '8%', label: { formatter: '{b}: {c}' },
      data: stages.map((s) => ({ name: s.name, value: s.reached })) }],
  });
  freshness.watch(main.firstChild, fresh.asOf, () => render(main));
}

function stageTable(stages, compare) {
  const before = new Map((compare?.stages || []).map((s) => [s.stageId, s]));
  const head = ['Stage', 'Phase', 'Reached', 'Entered', 'Now in it', 'Advanced', 'Lost here', 'Conversion', 'Drop-off', 'Hours in stage (mean / median / p90)'];
  if (compare) head.splice(3, 0, 'Reached then');
  return el('table', { id: 'funnel-stages' },
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, stages.map((s) => {
      const cells = [el('th', { scope: 'row' }, s.name), el('td', {}, s.phase.toLowerCase()),
        el('td.num', { 'data-stage': s.stageId, class: 'num reached' }, s.reached)];
      if (compare) cells.push(el('td.num', {}, before.get(s.stageId)?.reached ?? 0));
      const tis = s.timeInStageHours || {};
      cells.push(el('td.num', {}, s.entered), el('td.num', {}, s.current), el('td.num', {}, s.advanced), el('td.num', {}, s.lost),
        el('td.num', {}, pct(s.conversionRate)), el('td.num', {}, s.conversionRate === null ? '–' : pct(1 - s.conversionRate)),
        el('td.num', {}, `${num(tis.mean)} / ${num(tis.median)} / ${num(tis.p90)}`));
      return el('tr', {}, cells);
    })));
}

function phaseTable(report) {
  return el('section.panel', { 'aria-labelledby': 'phases-title' }, el('h2', { id: 'phases-title' }, 'Customer journey'),
    el('table', { id: 'funnel-phases' },
      el('thead', {}, el('tr', {}, ['Phase', 'Reached', 'Now in it', 'Lost', 'Moves on'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, report.phases.map((p) => el('tr', {}, el('th', { scope: 'row' }, p.phase.toLowerCase()),
        el('td.num', {}, p.reached), el('td.num', {}, p.current), el('td.num', {}, p.lost), el('td.num', {}, pct(p.conversionRate)))))));
}
