// The web app's shell: sign-in, navigation by hash (#/board, #/deal/{id}, #/attention, #/funnel, #/forecast).
import { session, ApiError } from './api.js';
import { el, notice } from './ui.js';
import * as signin from './signin.js';
import * as board from './board.js';
import * as deal from './deal.js';
import * as attention from './attention.js';
import * as funnel from './funnel.js';
import * as forecast from './forecast.js';

const main = document.getElementById('main');
const views = { board: board.render, attention: attention.render, funnel: funnel.render, forecast: forecast.render };

function header() {
  const s = session.get();
  document.getElementById('nav').hidden = !s;
  const who = document.getElementById('who');
  who.replaceChildren();
  if (s) {
    who.append(`${s.subject} (${s.scope.includes('admin') ? 'sales leader' : 'seller'})`,
      el('button.plain', { id: 'sign-out', onclick: () => { session.clear(); route(); } }, 'Sign out'));
  }
  const view = location.hash.split('/')[1] || 'board';
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.getAttribute('href') === `#/${view}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

async function route() {
  header();
  if (!session.get()) {
    await signin.render(main, () => { if (!location.hash) location.hash = '#/board'; route(); });
    return;
  }
  const [, view = 'board', id] = location.hash.split('/');
  main.setAttribute('aria-busy', 'true');
  try {
    if (view === 'deal' && id) await deal.render(main, decodeURIComponent(id));
    else await (views[view] || board.render)(main);
  } catch (e) {
    main.replaceChildren(el('p', {}, e instanceof ApiError && e.status === 403
      ? 'Your role does not allow this view.' : `This view could not be loaded: ${e.message}`));
    if (!(e instanceof ApiError)) console.error(e);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

window.addEventListener('hashchange', () => { route(); main.focus(); });
window.addEventListener('dealflow:signed-out', () => { notice('Your sign-in has ended; please sign in again.', true); route(); });
signin.completeRedirect().then(route);
