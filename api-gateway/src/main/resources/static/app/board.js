// The pipeline board: a column per stage; drag a card (or pick a stage on it) to move the deal.
import { call, get, query, session, ApiError } from './api.js';
import { el, field, select, notice, money, amounts } from './ui.js';

const state = { pipelineId: null, ownerId: '', source: '' };
const DAY = 86_400_000;

export async function render(main) {
  const pipelines = await get('/api/v1/pipelines');
  if (!state.pipelineId || !pipelines.some((p) => p.id === state.pipelineId)) state.pipelineId = pipelines[0]?.id;
  const pipeline = pipelines.find((p) => p.id === state.pipelineId);
  const board = await get(`/api/v1/pipelines/${encodeURIComponent(state.pipelineId)}/board`
    + query({ dealsPerStage: 50, ownerId: state.ownerId, source: state.source }));

  const pick = select('pipeline', pipelines.map((p) => [p.id, p.name]), state.pipelineId, { id: 'pipeline' });
  pick.addEventListener('change', () => { state.pipelineId = pick.value; render(main); });
  const owner = el('input', { name: 'ownerId', id: 'filter-owner', value: state.ownerId, placeholder: 'any', size: 10 });
  const source = el('input', { name: 'source', id: 'filter-source', value: state.source, placeholder: 'any', size: 10 });
  const filters = el('form.bar', { role: 'search' }, field('Pipeline', pick), field('Owner', owner), field('Source', source),
    el('button', { type: 'submit' }, 'Filter'),
    el('button.plain', { type: 'button', id: 'new-deal', onclick: () => createDialog(main, pipeline) }, 'New deal'));
  filters.addEventListener('submit', (e) => { e.preventDefault(); state.ownerId = owner.value.trim(); state.source = source.value.trim(); render(main); });

  const columns = board.stages.map((column) => stageColumn(main, pipeline, column));
  main.replaceChildren(el('h1', {}, `Pipeline: ${board.name}`), filters,
    el('div.board', { id: 'board', role: 'list', 'aria-label': 'Stages' }, columns));
}

function stageColumn(main, pipeline, column) {
  const stage = pipeline.stages.find((s) => s.id === column.stageId);
  const node = el('section.column', { 'data-stage': column.stageId, role: 'listitem', 'aria-labelledby': `stage-${column.stageId}` },
    el('h2', { id: `stage-${column.stageId}` }, `${column.name} `, el('span', { class: 'count', 'data-count': column.count }, `(${column.count})`)),
    el('div.sums', {}, `${column.probability} % · ${amounts(column.amounts)}`),
    column.deals.map((deal) => card(main, pipeline, stage, deal)));
  node.addEventListener('dragover', (e) => { e.preventDefault(); node.classList.add('over'); });
  node.addEventListener('dragleave', () => node.classList.remove('over'));
  node.addEventListener('drop', (e) => {
    e.preventDefault();
    node.classList.remove('over');
    const { dealId, version, stageId } = JSON.parse(e.dataTransfer.getData('application/json'));
    if (stageId !== column.stageId) move(main, dealId, version, column.stageId);
  });
  return node;
}

function card(main, pipeline, stage, deal) {
  const badges = [];
  if (stage?.rottingDays && Date.now() - Date.parse(deal.lastActivityAt || deal.stageEnteredAt) > stage.rottingDays * DAY) {
    badges.push(el('span.badge.rotting', { title: `no activity for more than ${stage.rottingDays} days` }, 'rotting'));
  }
  if (deal.expectedCloseDate && deal.expectedCloseDate < new Date().toISOString().slice(0, 10)) {
    badges.push(el('span.badge.overdue', { title: `expected to close on ${deal.expectedCloseDate}` }, 'overdue'));
  }
  const moveTo = select('moveTo', [['', 'Move to…'], ...pipeline.stages.filter((s) => s.id !== deal.stageId).map((s) => [s.id, s.name])], '',
    { 'aria-label': `Move ${deal.title} to stage` });
  moveTo.addEventListener('change', () => moveTo.value && move(main, deal.dealId, deal.version, moveTo.value));
  const node = el('article.card', { draggable: 'true', 'data-deal': deal.dealId, 'data-title': deal.title },
    el('a', { href: `#/deal/${deal.dealId}` }, deal.title),
    el('div.meta', {}, `${money(deal.amount.value, deal.amount.currency)} · ${deal.ownerId || 'no owner'}${deal.source ? ' · ' + deal.source : ''}`),
    badges, moveTo);
  node.addEventListener('dragstart', (e) => {
    e.dataTransfer.setData('application/json', JSON.stringify({ dealId: deal.dealId, version: deal.version, stageId: deal.stageId }));
    e.dataTransfer.effectAllowed = 'move';
  });
  return node;
}

async function move(main, dealId, version, stageId) {
  try {
    await call(`/api/v1/deals/${dealId}/moves`, { method: 'POST', body: { stageId }, etag: `"${version}"` });
    notice('Deal moved');
  } catch (e) {
    if (e instanceof ApiError && e.status === 412) notice('Someone changed this deal meanwhile; the board shows it as it is now. Try again.', true);
    else notice(e.message, true);
  }
  await render(main);
}

function createDialog(main, pipeline) {
  const inputs = {
    title: el('input', { name: 'title', required: true, maxlength: 200 }),
    amount: el('input', { name: 'amount', required: true, inputmode: 'decimal', value: '1000.00' }),
    currency: el('input', { name: 'currency', required: true, value: 'EUR', size: 4, maxlength: 3 }),
    ownerId: el('input', { name: 'ownerId', value: session.get()?.subject || '' }),
    source: el('input', { name: 'source', value: 'web' }),
    expectedCloseDate: el('input', { name: 'expectedCloseDate', type: 'date' }),
    stageId: select('stageId', pipeline.stages.map((s) => [s.id, s.name]), pipeline.stages[0].id),
  };
  const dialog = el('dialog', { 'aria-labelledby': 'new-deal-title' });
  const form = el('form.fields', { method: 'dialog' },
    field('Title', inputs.title), field('Amount', inputs.amount), field('Currency', inputs.currency), field('Owner', inputs.ownerId),
    field('Source', inputs.source), field('Expected close', inputs.expectedCloseDate), field('Stage', inputs.stageId),
    el('button', { type: 'submit', id: 'create-deal' }, 'Create'), el('button.plain', { type: 'button', onclick: () => dialog.close() }, 'Cancel'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()]));
    try {
      await call('/api/v1/deals', { method: 'POST', headers: { 'Idempotency-Key': crypto.randomUUID() }, body: {
        title: v.title, amount: { value: v.amount, currency: v.currency.toUpperCase() }, ownerId: v.ownerId || undefined,
        source: v.source || undefined, expectedCloseDate: v.expectedCloseDate || undefined, pipelineId: pipeline.id, stageId: v.stageId } });
      dialog.close();
      notice(`Deal “${v.title}” created`);
      await render(main);
    } catch (err) { notice(err.message, true); }
  });
  dialog.append(el('h2', { id: 'new-deal-title' }, 'New deal'), form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  inputs.title.focus();
}
