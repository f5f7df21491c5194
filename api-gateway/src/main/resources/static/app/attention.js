// What to act on now, with the reasons.
import { get, query } from './api.js';
import { el, field, money, when } from './ui.js';

let ownerId = '';

export async function render(main) {
  const { items } = await get('/api/v1/deals/attention' + query({ ownerId, limit: 200 }));
  const owner = el('input', { name: 'ownerId', id: 'attention-owner', value: ownerId, placeholder: 'any' });
  const form = el('form.bar', { role: 'search' }, field('Owner', owner), el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => { e.preventDefault(); ownerId = owner.value.trim(); render(main); });
  main.replaceChildren(el('h1', {}, `Needs attention (${items.length})`), form,
    items.length === 0 ? el('p', {}, 'Nothing needs attention.') : el('div.scroll', {}, el('table', { id: 'attention' },
      el('thead', {}, el('tr', {}, ['Deal', 'Amount', 'Owner', 'In stage since', 'Why'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, items.map(({ deal, reasons }) => el('tr', {},
        el('td', {}, el('a', { href: `#/deal/${deal.dealId}` }, deal.title)),
        el('td.num', {}, money(deal.amount.value, deal.amount.currency)), el('td', {}, deal.ownerId || '–'),
        el('td', {}, when(deal.stageEnteredAt)),
        el('td', {}, reasons.map((r) => el('div', {}, el('span', { class: `badge ${r.code}` }, r.code.replaceAll('_', ' ').toLowerCase()), ' ', r.detail)))))))));
}
