// One deal: its fields (editable), the actions of its life cycle, activities and the full history.
import { call, get, ApiError } from './api.js';
import { el, field, select, notice, money, when } from './ui.js';

export async function render(main, dealId) {
  const { data: deal, etag } = await call(`/api/v1/deals/${encodeURIComponent(dealId)}`);
  const [pipeline, history] = await Promise.all([
    get(`/api/v1/pipelines/${encodeURIComponent(deal.pipelineId)}`), get(`/api/v1/deals/${encodeURIComponent(dealId)}/history`)]);
  const stageName = (id) => pipeline.stages.find((s) => s.id === id)?.name || id;
  const act = (path, body) => async () => {
    try {
      await call(`/api/v1/deals/${dealId}${path}`, { method: 'POST', body, etag });
      notice('Saved');
    } catch (e) {
      notice(e instanceof ApiError && e.status === 412 ? 'Someone changed this deal meanwhile; this page now shows it as it is. Try again.' : e.message, true);
    }
    await render(main, dealId);
  };

  const actions = el('div.bar', { id: 'deal-actions' });
  if (deal.status === 'OPEN') {
    const reason = select('reason', pipeline.lostReasons.map((r) => [r, r]), pipeline.lostReasons[0], { id: 'lost-reason' });
    const note = el('input', { name: 'note', id: 'lost-note', placeholder: 'optional' });
    actions.append(el('button', { id: 'win', onclick: act('/win', {}) }, 'Win'),
      field('Lost reason', reason), field('Note', note),
      el('button', { id: 'lose', onclick: () => act('/loss', { reason: reason.value, note: note.value || undefined })() }, 'Lose'));
  } else {
    const stage = select('stageId', pipeline.stages.map((s) => [s.id, s.name]), deal.stageId, { id: 'reopen-stage' });
    actions.append(field('Reopen into', stage), el('button', { id: 'reopen', onclick: () => act('/reopen', { stageId: stage.value })() }, 'Reopen'));
  }

  main.replaceChildren(
    el('p', {}, el('a', { href: '#/board' }, '← Pipeline')),
    el('h1', {}, deal.title, ' ', el('span.badge', { style: `background: var(--${deal.status === 'WON' ? 'good' : deal.status === 'LOST' ? 'bad' : 'accent'})`, id: 'deal-status' }, deal.status)),
    el('section.panel', { 'aria-label': 'Deal' },
      el('p', {}, `${money(deal.amount.value, deal.amount.currency)} · stage ${stageName(deal.stageId)} since ${when(deal.stageEnteredAt)}`
        + ` · owner ${deal.ownerId || 'none'} · source ${deal.source || '–'} · expected close ${deal.expectedCloseDate || '–'}`
        + (deal.lostReason ? ` · lost: ${deal.lostReason}` : '')),
      actions),
    editForm(main, deal, etag),
    activityForm(main, deal),
    el('section.panel', { 'aria-labelledby': 'history-title' }, el('h2', { id: 'history-title' }, 'History'),
      el('div.scroll', {}, el('table', { id: 'history' },
        el('thead', {}, el('tr', {}, ['When', 'What', 'Who', 'Changes', 'Recorded'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, history.events.map((entry) => el('tr', {},
          el('td', {}, when(entry.time)), el('td', {}, entry.type), el('td', {}, entry.actor || '–'),
          el('td', {}, describe(entry.changes, stageName)), el('td', {}, when(entry.recordedAt)))))))));
}

function describe(changes, stageName) {
  if (!changes) return '';
  const show = (x) => (x && typeof x === 'object' && 'value' in x && 'currency' in x ? `${x.value} ${x.currency}` : x);
  return Object.entries(changes).map(([k, v]) => {
    const isStage = k === 'stage' || k === 'stageId';
    if (v && typeof v === 'object' && ('from' in v || 'to' in v)) {
      const f = isStage ? stageName(v.from) : show(v.from);
      const t = isStage ? stageName(v.to) : show(v.to);
      return `${k}: ${f ?? '–'} → ${t ?? '–'}`;
    }
    if (v && typeof v === 'object' && 'value' in v && 'currency' in v) return `${k}: ${v.value} ${v.currency}`;
    if (isStage) return `${k}: ${stageName(v)}`;
    return `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`;
  }).join('; ');
}

function editForm(main, deal, etag) {
  const inputs = {
    title: el('input', { name: 'title', value: deal.title, required: true }),
    amount: el('input', { name: 'amount', value: deal.amount.value, inputmode: 'decimal' }),
    ownerId: el('input', { name: 'ownerId', value: deal.ownerId || '' }),
    source: el('input', { name: 'source', value: deal.source || '' }),
    expectedCloseDate: el('input', { name: 'expectedCloseDate', type: 'date', value: deal.expectedCloseDate || '' }),
  };
  const form = el('form.fields', { id: 'edit-deal' }, Object.entries(inputs).map(([k, i]) => field(k === 'ownerId' ? 'Owner'
    : k === 'expectedCloseDate' ? 'Expected close' : k[0].toUpperCase() + k.slice(1), i)), el('button', { type: 'submit' }, 'Save changes'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const patch = {};
    if (inputs.title.value !== deal.title) patch.title = inputs.title.value;
    if (inputs.amount.value !== deal.amount.value) patch.amount = { value: inputs.amount.value, currency: deal.amount.currency };
    if (inputs.ownerId.value !== (deal.ownerId || '')) patch.ownerId = inputs.ownerId.value || null;
    if (inputs.source.value !== (deal.source || '')) patch.source = inputs.source.value || null;
    if (inputs.expectedCloseDate.value !== (deal.expectedCloseDate || '')) patch.expectedCloseDate = inputs.expectedCloseDate.value || null;
    if (!Object.keys(patch).length) { notice('Nothing changed'); return; }
    try {
      await call(`/api/v1/deals/${deal.dealId}`, { method: 'PATCH', body: patch, etag });
      notice('Saved');
    } catch (err) {
      notice(err instanceof ApiError && err.status === 412 ? 'Someone changed this deal meanwhile; this page now shows it as it is.' : err.message, true);
    }
    await render(main, deal.dealId);
  });
  return el('section.panel', { 'aria-labelledby': 'edit-title' }, el('h2', { id: 'edit-title' }, 'Edit'), form);
}

function activityForm(main, deal) {
  const kind = select('kind', [['CALL', 'Call'], ['MEETING', 'Meeting'], ['EMAIL', 'Email'], ['NOTE', 'Note']], 'CALL', { id: 'activity-kind' });
  const note = el('input', { name: 'note', id: 'activity-note', size: 40 });
  const form = el('form.fields', { id: 'log-activity' }, field('Kind', kind), field('Note', note), el('button', { type: 'submit' }, 'Log activity'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await call(`/api/v1/deals/${deal.dealId}/activities`, { method: 'POST', body: { kind: kind.value, note: note.value || undefined } });
      notice('Activity logged');
    } catch (err) { notice(err.message, true); }
    await render(main, deal.dealId);
  });
  return el('section.panel', { 'aria-labelledby': 'activity-title' },
    el('h2', { id: 'activity-title' }, 'Activities'), el('p', {}, `Last activity: ${when(deal.lastActivityAt)}`), form);
}
