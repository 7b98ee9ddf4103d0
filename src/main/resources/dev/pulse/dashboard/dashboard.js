// Pulse live page: renders pulse_dashboard()'s document, pushed by the server over Server-Sent Events.
// Every number arrives as a JSON string of exact decimal digits; money and counts are formatted from those strings
// (never through binary floating point). Only chart geometry (pixels) uses Number().
'use strict';

const Fmt = (() => {
  /** "1234567.895" -> digits rounded half away from zero (as PostgreSQL's round()) to `places`, grouped by 3. */
  function decimal(value, places) {
    if (value === null || value === undefined || value === '') return '–';
    let s = String(value).trim();
    if (!/^[+-]?\d+(\.\d+)?$/.test(s)) return s;
    let neg = s[0] === '-';
    if (s[0] === '-' || s[0] === '+') s = s.slice(1);
    let [int, frac = ''] = s.split('.');
    if (places !== undefined) {
      if (frac.length > places) {
        const up = frac.charCodeAt(places) - 48 >= 5;
        let digits = int + frac.slice(0, places);
        if (up) digits = increment(digits);
        int = digits.slice(0, digits.length - places);
        frac = digits.slice(digits.length - places);
      } else {
        frac = frac.padEnd(places, '0');
      }
    }
    int = int.replace(/^0+(?=\d)/, '') || '0';
    if (/^[0.]*$/.test(int + frac)) neg = false;
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (neg ? '-' : '') + grouped + (frac.length ? '.' + frac : '');
  }
  function increment(digits) {
    const a = digits.split('');
    let i = a.length - 1;
    while (i >= 0) {
      if (a[i] === '9') { a[i] = '0'; i--; } else { a[i] = String.fromCharCode(a[i].charCodeAt(0) + 1); break; }
    }
    return (i < 0 ? '1' : '') + a.join('');
  }
  /** A rate "0.8765" as a percentage "87.7%": the decimal point moved two places in the string. */
  function percent(rate, places = 1) {
    if (rate === null || rate === undefined || rate === '') return '–';
    let s = String(rate).trim();
    if (!/^[+-]?\d+(\.\d+)?$/.test(s)) return s;
    let sign = '';
    if (s[0] === '-' || s[0] === '+') { sign = s[0] === '-' ? '-' : ''; s = s.slice(1); }
    let [int, frac = ''] = s.split('.');
    frac = frac.padEnd(2, '0');
    return decimal(sign + int + frac.slice(0, 2) + (frac.length > 2 ? '.' + frac.slice(2) : ''), places) + '%';
  }
  return {
    money: (v) => decimal(v, 2),
    count: (v) => decimal(v, 0),
    decimal,
    percent,
  };
})();

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function hhmm(iso) {
  return iso ? String(iso).slice(11, 16) : '';
}

function utc(iso) {
  return iso ? String(iso).slice(0, 16).replace('T', ' ') + ' UTC' : '';
}

function setText(id, text) {
  const e = $(id);
  if (e.textContent !== text) e.textContent = text;
}

function filled(name) {
  document.querySelector(`[data-panel="${name}"]`).dataset.filled = 'true';
}

/** Per-minute series as an SVG: bars or a line with dots; the axis labels are the formatted decimal strings. */
function chart(container, points, valueOf, labelOf, kind) {
  // Drawn at the container's own width (re-drawn on resize), so text is never stretched.
  const W = Math.max(240, Math.round(container.clientWidth || 900)), H = 190, R = 10, T = 10, B = 24;
  const widest = Math.max(1, ...points.map((p) => labelOf(p).length));
  const L = Math.min(90, 14 + 7 * widest);
  const values = points.map((p) => Number(valueOf(p)));
  const maxIndex = values.reduce((m, v, i) => (v > values[m] ? i : m), 0);
  const max = values.length && values[maxIndex] > 0 ? values[maxIndex] : 1;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const step = (W - L - R) / Math.max(points.length, 1);
  root.append(svg('line', { class: 'grid', x1: L, x2: W - R, y1: y(0), y2: y(0) }));
  root.append(svg('line', { class: 'grid', x1: L, x2: W - R, y1: y(max), y2: y(max) }));
  root.append(svg('text', { class: 'axis', x: L - 6, y: y(max) + 4, 'text-anchor': 'end' },
    points.length ? labelOf(points[maxIndex]) : '0'));
  root.append(svg('text', { class: 'axis', x: L - 6, y: y(0) + 4, 'text-anchor': 'end' }, '0'));
  let path = '';
  points.forEach((p, i) => {
    const v = values[i];
    const x = L + i * step;
    const title = svg('title', {}, `${hhmm(p.time)} UTC  ${labelOf(p)}`);
    if (kind === 'bars') {
      const bar = svg('rect', { class: 'bar', x: x + 1, width: Math.max(step - 2, 1), y: y(v), height: y(0) - y(v) });
      bar.append(title);
      root.append(bar);
    } else {
      const cx = x + step / 2;
      path += (i ? 'L' : 'M') + cx.toFixed(1) + ' ' + y(v).toFixed(1);
      const dot = svg('circle', { class: 'dot', cx, cy: y(v), r: 2.2 });
      dot.append(title);
      root.append(dot);
    }
    if (i % (W < 500 ? 15 : 10) === 0) {
      root.append(svg('text', { class: 'axis', x: x + step / 2, y: H - 6, 'text-anchor': 'middle' }, hhmm(p.time)));
    }
  });
  if (kind !== 'bars' && path) root.insertBefore(svg('path', { class: 'line', d: path }), root.firstChild);
  container.replaceChildren(root);
}

function barRow(label, fraction, figure, note, extraClass) {
  const pct = Math.max(0, Math.min(100, Number(fraction) * 100));
  return el('div', { class: 'row' + (extraClass ? ' ' + extraClass : '') },
    el('div', { class: 'name', title: label }, label),
    el('div', { class: 'bar' }, el('div', { style: `width:${pct.toFixed(2)}%` })),
    el('div', { class: 'fig' }, figure, el('small', {}, note)));
}

function renderKpis(d) {
  const today = d.today || {};
  const hour = d.summary || {};
  setText('gmv-today', Fmt.money(today.gmv ?? '0'));
  setText('gmv-today-note', today.day_start ? `${String(today.day_start).slice(0, 10)} UTC so far` : 'no paid order today');
  setText('orders-today', Fmt.count(today.orders ?? '0'));
  setText('orders-today-note', `cancelled ${Fmt.count(today.cancelled_orders ?? '0')} · items ${Fmt.count(today.items ?? '0')}`);
  setText('gmv-hour', Fmt.money(hour.gmv ?? '0'));
  setText('gmv-hour-note', `${hhmm(d.from)}–${hhmm(d.to)} UTC`);
  setText('orders-hour', Fmt.count(hour.orders ?? '0'));
  setText('orders-hour-note', `cancelled ${Fmt.count(hour.cancelled_orders ?? '0')}`);
  setText('aov-hour', hour.avg_order_value == null ? '–' : Fmt.money(hour.avg_order_value));
  const lh = d.last_hour;
  setText('buyers-hour', lh ? `${Fmt.count(lh.buyers)} buyers in ${hhmm(lh.window_start)}–${hhmm(lh.window_end)}` : '');
  filled('kpis');
}

function renderTrends(d) {
  const trend = d.trend || [];
  chart($('gmv-chart'), trend, (p) => p.gmv, (p) => Fmt.money(p.gmv), 'bars');
  chart($('orders-chart'), trend, (p) => p.orders, (p) => Fmt.count(p.orders), 'line');
  filled('gmv-trend');
  filled('orders-trend');
}

function renderFunnel(d) {
  const f = d.funnel || {};
  const steps = f.steps || [];
  setText('funnel-window', f.window_start ? `${hhmm(f.window_start)}–${hhmm(f.window_end)} UTC${f.is_final ? '' : ' (open)'}` : 'current hour');
  const first = steps.length ? Number(steps[0].users) : 0;
  const rows = steps.map((s, i) => barRow(s.step, first ? Number(s.users) / first : 0, Fmt.count(s.users),
    i === 0 ? 'users' : `${Fmt.percent(s.rate_from_previous)} of previous`, 'funnel-step'));
  $('funnel').replaceChildren(...(rows.length ? rows : [el('div', { class: 'empty' }, 'no behaviour this hour yet')]));
  filled('funnel');
}

function renderRegions(d) {
  const regions = (d.regions_today || []).filter((r) => r.city === '*')
    .sort((a, b) => Number(b.gmv) - Number(a.gmv));
  const cities = (d.regions_today || []).filter((r) => r.city !== '*');
  const rows = regions.map((r) => {
    const top = cities.filter((c) => c.region === r.region).sort((a, b) => Number(b.gmv) - Number(a.gmv))[0];
    return barRow(r.region + (top && top.city !== r.region ? ` · ${top.city}` : ''), r.share ?? 0, Fmt.money(r.gmv),
      Fmt.percent(r.share));
  });
  $('regions').replaceChildren(...(rows.length ? rows : [el('div', { class: 'empty' }, 'no sales today yet')]));
  filled('regions');
}

function renderPayments(d) {
  const body = $('payments').tBodies[0];
  const rows = (d.payments || []).map((p) => el('tr', {},
    el('td', {}, p.method === '*' ? 'all' : p.method),
    el('td', { class: 'num' }, Fmt.count(p.attempts)),
    el('td', { class: 'num' }, Fmt.percent(p.success_rate)),
    el('td', {}, el('div', { class: 'meter' }, el('div', { style: `width:${(Number(p.success_rate || 0) * 100).toFixed(2)}%` }))),
    el('td', { class: 'num' }, Fmt.money(p.amount_succeeded))));
  body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: 5 }, 'no payments in the last hour'))]));
  filled('payments');
}

function renderTop(d, size, id) {
  const sizes = d.top_products || {};
  const w = (sizes[size] || {}).closed || (sizes[size] || {}).open;
  const state = (sizes[size] || {}).closed ? 'closed' : 'open';
  setText(id + '-window', w ? `${size === '5min' ? '5 minutes' : '1 hour'} · ${hhmm(w.window_start)}–${hhmm(w.window_end)} UTC${state === 'open' ? ' (open)' : ''}` : (size === '5min' ? '5 minutes' : '1 hour'));
  const rows = ((w && w.products) || []).map((p) => el('tr', {},
    el('td', {}, Fmt.count(p.rank)),
    el('td', { class: 'name', title: `${p.product_name} (#${p.product_id})` }, p.product_name),
    el('td', { class: 'num' }, Fmt.count(p.orders)),
    el('td', { class: 'num' }, Fmt.money(p.gmv))));
  $(id).tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: 4 }, 'no window yet'))]));
  filled(id);
}

function renderBadInput(d) {
  const b = d.bad_input || {};
  setText('dead-letters', Fmt.count(b.dead_letters ?? '0'));
  setText('late-events', Fmt.count(b.late_events ?? '0'));
  setText('late-by-stream', Object.entries(b.late_by_stream || {}).map(([k, v]) => `${k} ${Fmt.count(v)}`).join(' · '));
  const rows = (b.dead_letter_reasons || []).map((r) => el('tr', {},
    el('td', {}, r.stream), el('td', { class: 'reason' }, r.reason), el('td', { class: 'num' }, Fmt.count(r.records))));
  $('reasons').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: 3 }, 'none'))]));
  filled('bad-input');
}

let updates = 0;
let last = null;

function render(d) {
  last = d;
  setText('as-of', d.as_of ? `as of ${utc(d.as_of)}` : 'no data yet');
  const parts = [renderKpis, renderTrends, renderFunnel, renderRegions, renderPayments,
    (x) => renderTop(x, '5min', 'top-5min'), (x) => renderTop(x, '1h', 'top-1h'), renderBadInput];
  for (const part of parts) {
    try { part(d); } catch (e) { console.error('pulse: a panel failed to render', e); }
  }
  updates += 1;
  setText('updates', String(updates));
  document.body.dataset.updates = String(updates);
}

function setStatus(s) {
  const e = $('status');
  e.dataset.status = s;
  e.textContent = s;
}

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('dashboard', (m) => render(JSON.parse(m.data)));
  events.addEventListener('status', (m) => {
    const s = JSON.parse(m.data);
    setStatus(s.status);
    if (s.source) setText('source', `reading ${s.source}`);
  });
  events.onerror = () => setStatus('disconnected');
  events.onopen = () => { if ($('status').dataset.status === 'disconnected') setStatus('connecting'); };
}

window.PulseFormat = Fmt;
window.addEventListener('resize', () => { if (last) renderTrends(last); });
connect();
