// Forecast by expected-close month with the backtest's calibration; velocity; cohort trends; the waterfall.
import { get, query } from './api.js';
import { el, field, select, money, pct, num, chart } from './ui.js';
import * as freshness from './freshness.js';

let pipelineId = '';

export async function render(main) {
  const pipelines = await get('/api/v1/pipelines');
  if (!pipelineId) pipelineId = pipelines[0]?.id;
  const p = { pipelineId };
  const [forecast, backtest, velocity, trends, waterfall, fresh] = await Promise.all([
    get('/api/v1/forecast' + query({ ...p, months: 6 })), get('/api/v1/forecast/backtest' + query({ ...p, months: 6 })),
    get('/api/v1/velocity' + query(p)), get('/api/v1/trends' + query({ ...p, interval: 'month' })),
    get('/api/v1/waterfall' + query({ ...p, from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date().toISOString() })),
    freshness.line()]);

  const pick = select('pipelineId', pipelines.map((x) => [x.id, x.name]), pipelineId);
  pick.addEventListener('change', () => { pipelineId = pick.value; render(main); });
  const forecastChart = el('div.chart', { role: 'img', 'aria-label': 'Forecast by month: weighted, learned, commit and best case' });
  const trendChart = el('div.chart', { role: 'img', 'aria-label': 'Deals created, won and lost per monthly cohort' });

  main.replaceChildren(el('h1', {}, 'Forecast'), fresh.node, el('div.bar', {}, field('Pipeline', pick)),
    el('section.panel', { 'aria-labelledby': 'fc-title' }, el('h2', { id: 'fc-title' }, 'By expected-close month'), forecastChart,
      el('div.scroll', {}, forecastTable(forecast))),
    el('div.grid2', {}, calibrationTable(backtest), velocityPanel(velocity)),
    el('section.panel', { 'aria-labelledby': 'tr-title' }, el('h2', { id: 'tr-title' }, 'Cohorts by creation month'), trendChart,
      el('div.scroll', {}, trendTable(trends))),
    waterfallPanel(waterfall));

  const months = forecast.months.map((m) => m.month);
  const first = (m, key) => Number(m.currencies[0]?.[key] || 0);
  chart(forecastChart, {
    tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'category', data: months }, yAxis: { type: 'value' },
    series: [['weightedAmount', 'Weighted'], ['forecastAmount', 'Learned'], ['commitAmount', 'Commit'], ['bestCaseAmount', 'Best case']]
      .map(([key, name]) => ({ name, type: 'bar', data: forecast.months.map((m) => first(m, key)) })),
  });
  chart(trendChart, {
    tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'category', data: trends.cohorts.map((c) => c.cohort) }, yAxis: { type: 'value' },
    series: [['created', 'Created'], ['won', 'Won'], ['lost', 'Lost']].map(([key, name]) => ({ name, type: 'line', data: trends.cohorts.map((c) => c[key]) })),
  });
  freshness.watch(main.firstChild, fresh.asOf, () => render(main));
}

const table = (id, head, rows) => el('table', { id }, el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows));

function forecastTable(f) {
  return table('forecast', ['Month', 'Currency', 'Deals', 'Open', 'Weighted', 'Learned', 'Commit', 'Best case'],
    f.months.flatMap((m) => m.currencies.map((c) => el('tr', {}, el('th', { scope: 'row' }, m.month), el('td', {}, c.currency),
      el('td.num', {}, c.deals), ...['openAmount', 'weightedAmount', 'forecastAmount', 'commitAmount', 'bestCaseAmount']
        .map((k) => el('td.num', {}, money(c[k], c.currency)))))));
}

function calibrationTable(b) {
  return el('section.panel', { 'aria-labelledby': 'cal-title' }, el('h2', { id: 'cal-title' }, 'Backtest: calibration per stage'),
    el('div.scroll', {}, table('calibration', ['Stage', 'Samples', 'Learned P(win)', 'Configured', 'Observed win rate'],
      b.calibration.map((c) => el('tr', {}, el('th', { scope: 'row' }, c.stageId), el('td.num', {}, c.samples),
        el('td.num', {}, pct(c.meanLearnedProbability)), el('td.num', {}, pct(c.meanConfiguredProbability)), el('td.num', {}, pct(c.observedWinRate)))))),
    el('div.scroll', {}, table('backtest', ['Month', 'Currency', 'Learned said', 'Configured said', 'Won', 'Learned error'],
      b.months.flatMap((m) => m.currencies.map((r) => el('tr', {}, el('th', { scope: 'row' }, m.month), el('td', {}, r.currency),
        el('td.num', {}, money(r.learnedForecast, r.currency)), el('td.num', {}, money(r.configuredForecast, r.currency)),
        el('td.num', {}, money(r.won, r.currency)), el('td.num', {}, pct(r.learnedError))))))));
}

function velocityPanel(v) {
  const t = v.total;
  return el('section.panel', { 'aria-labelledby': 'vel-title' }, el('h2', { id: 'vel-title' }, 'Velocity'),
    el('p', { id: 'velocity' }, `${t.openDeals} open · ${t.wonDeals} won · ${t.lostDeals} lost · win rate ${pct(t.winRate)}`
      + ` · sales cycle ${num(t.averageCycleDays)} days on average (median ${num(t.medianCycleDays)})`),
    el('ul', {}, t.currencies.map((c) => el('li', {}, `${c.currency}: average won deal ${money(c.averageWonSize, c.currency)},`
      + ` velocity ${money(c.velocityPerDay, c.currency)} per day`))),
    v.lostReasons.length ? el('p', {}, 'Lost because: ' + v.lostReasons.map((r) => `${r.reason} (${r.deals})`).join(', ')) : null);
}

function trendTable(t) {
  return table('trends', ['Cohort', 'Created', 'Won', 'Lost', 'Open', 'Conversion'], t.cohorts.map((c) => el('tr', {},
    el('th', { scope: 'row' }, c.cohort), el('td.num', {}, c.created), el('td.num', {}, c.won), el('td.num', {}, c.lost),
    el('td.num', {}, c.open), el('td.num', {}, pct(c.conversion)))));
}

function waterfallPanel(w) {
  return el('section.panel', { 'aria-labelledby': 'wf-title' }, el('h2', { id: 'wf-title' }, 'Waterfall, last 30 days'),
    el('div.scroll', {}, table('waterfall', ['Currency', 'Open at start', 'Created', 'Reopened', 'Won', 'Lost', 'Open at end',
      'Amount up', 'Amount down', 'Pulled in', 'Pushed out'], w.currencies.map((c) => el('tr', {}, el('th', { scope: 'row' }, c.currency),
      ...['openAtStart', 'created', 'reopened', 'won', 'lost', 'openAtEnd'].map((k) => el('td.num', {}, `${c.deals[k]} · ${money(c.amounts[k], c.currency)}`)),
      el('td.num', {}, money(c.amountUp, c.currency)), el('td.num', {}, money(c.amountDown, c.currency)),
      el('td.num', {}, `${c.pulledIn} · ${money(c.pulledInAmount, c.currency)}`), el('td.num', {}, `${c.pushedOut} · ${money(c.pushedOutAmount, c.currency)}`))))));
}
