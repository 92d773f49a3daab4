// linkemu DR lab console. Every read and every action is a call to the
// emulator's public REST API (/kafka/v3) or its admin API (/emulator/v1):
// the console has no powers the API lacks. It polls once a second.

const POLL_MS = 1000;
const $ = (sel, root = document) => root.querySelector(sel);

const state = { clusters: [], links: [], mirrors: {}, runs: [], ok: false, last: null };

// ---- API ------------------------------------------------------------------

class APIError extends Error {}

async function api(method, path, body) {
  // Reads give up after 5 s so that one slow cluster never freezes the
  // view; actions (a promote waits for lag 0, a proof reads whole logs) do not.
  const opts = { method, headers: { Accept: 'application/json' }, signal: method === 'GET' ? AbortSignal.timeout(5000) : undefined };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const resp = await fetch(path, opts);
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!resp.ok) {
    const msg = (data && (data.message || (data.errors && data.errors[0] && data.errors[0].detail))) || `HTTP ${resp.status}`;
    throw new APIError(`${resp.status}: ${msg}`);
  }
  return data;
}

const enc = encodeURIComponent;
const v3 = (cluster) => `/kafka/v3/clusters/${enc(cluster)}`;

// ---- Polling --------------------------------------------------------------

const modes = {}; // link key -> link.mode, read once per link
let refreshing = false;

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const cl = await api('GET', '/emulator/v1/clusters');
    const clusters = cl.data;
    const links = [];
    const mirrors = {};
    await Promise.all(clusters.map(async (c) => {
      const ls = await api('GET', `${v3(c.cluster_id)}/links`);
      await Promise.all(ls.data.map(async (l) => {
        const full = await api('GET', `${v3(c.cluster_id)}/links/${enc(l.link_name)}?include_tasks=true`).catch(() => l);
        full.cluster_id = c.cluster_id;
        // A side names only the other cluster: the source on a
        // destination side, the destination on a source side, the remote
        // on a bidirectional side (which receives, like a destination).
        full.src = full.source_cluster_id || full.remote_cluster_id || c.cluster_id;
        full.dst = full.source_cluster_id || full.remote_cluster_id ? c.cluster_id : (full.destination_cluster_id || c.cluster_id);
        if (!modes[key(full)]) {
          const cfg = await api('GET', `${v3(c.cluster_id)}/links/${enc(l.link_name)}/configs/link.mode`).catch(() => null);
          if (cfg && cfg.value) modes[key(full)] = cfg.value;
        }
        full.mode = modes[key(full)] || '';
        links.push(full);
        if (receives(full)) {
          const ms = await api('GET', `${v3(c.cluster_id)}/links/${enc(l.link_name)}/mirrors`).catch(() => ({ data: [] }));
          mirrors[key(full)] = ms.data;
        }
      }));
    }));
    links.sort((a, b) => key(a).localeCompare(key(b)));
    const runs = await api('GET', '/emulator/v1/demo/traffic').then((r) => r.data).catch(() => []);
    Object.assign(state, { clusters, links, mirrors, runs, ok: true, last: new Date() });
  } catch (e) {
    state.ok = false;
    state.error = e.message;
  } finally {
    refreshing = false;
  }
  render();
}

const key = (l) => `${l.cluster_id}/${l.link_name}`;
const receives = (l) => l.dst === l.cluster_id;

// ---- Rendering ------------------------------------------------------------

// h builds an element: h('td', {class: 'x'}, child, 'text').
function h(tag, attrs = {}, ...children) {
  const el = document.createElementNS(tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'svg' || v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const s = (tag, attrs = {}, ...children) => h(tag, { ...attrs, svg: true }, ...children);

// swap replaces a container's children and keeps keyboard focus on the
// element with the same data-key, so live updates never steal focus.
function swap(container, ...children) {
  const focused = document.activeElement && container.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  container.replaceChildren(...children.flat());
  if (focused) {
    const again = container.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

function badgeClass(st) {
  if (['ACTIVE', 'RUNNING', 'UP', 'EQUAL', 'IN_SYNC', 'FINISHED'].includes(st)) return 'badge ok';
  if (['UNAVAILABLE', 'FAILED', 'LINK_FAILED', 'SOURCE_UNAVAILABLE', 'DOWN', 'DIFFERENT', 'IN_ERROR'].includes(st)) return 'badge bad';
  if (['PAUSED', 'LINK_PAUSED', 'PENDING_STOPPED', 'MIRROR_BEHIND', 'STOPPED'].includes(st)) return 'badge warn';
  return 'badge info';
}
const badge = (st, label) => h('span', { class: badgeClass(st), 'data-state': st }, label || st);

function render() {
  const live = $('#live');
  live.textContent = state.ok ? `live · updated ${state.last.toLocaleTimeString()}` : `cannot reach the API: ${state.error}`;
  if (live.classList.contains('stale') === state.ok) live.setAttribute('role', 'status'); // announce only changes of connectivity
  live.classList.toggle('stale', !state.ok);
  if (!state.ok) return;
  renderTopology();
  renderClusters();
  renderLinks();
  renderRuns();
  fillSelects();
}

function renderTopology() {
  const W = 1000, boxW = 250, boxH = 110;
  const n = Math.max(state.clusters.length, 1);
  const gap = (W - n * boxW) / (n + 1);
  // One arrow per link and direction, drawn once even when both sides of
  // the link are stored; each arrow gets a lane of its own above the boxes.
  const arrows = new Map();
  for (const l of state.links) {
    const id = `${l.link_name}|${l.src}|${l.dst}`;
    const prev = arrows.get(id);
    if (!prev || receives(l)) arrows.set(id, l);
  }
  const lane = 44, boxY = 40 + lane * Math.max(1, arrows.size);
  const H = boxY + boxH + 16;
  const pos = {};
  state.clusters.forEach((c, i) => { pos[c.cluster_id] = { x: gap + i * (boxW + gap), y: boxY }; });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true' },
    s('defs', {}, ...['ok', 'bad', 'warn'].map((k) => s('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', fill: `var(--${k})` })))));
  let i = 0;
  for (const l of arrows.values()) {
    const a = pos[l.src], b = pos[l.dst];
    const kind = l.link_state === 'ACTIVE' ? 'ok' : (l.link_state === 'PAUSED' ? 'warn' : 'bad');
    if (a && b) {
      const dir = Math.sign(b.x - a.x) || 1;
      const x1 = a.x + boxW / 2 + dir * 30, x2 = b.x + boxW / 2 - dir * 30;
      const apex = 34 + lane * i;
      const ctrl = (4 * apex - boxY) / 3; // a cubic Bézier with both controls at ctrl peaks at apex
      const mirrors = (l.topic_names || []).length;
      svg.append(s('path', { d: `M${x1},${boxY} C${x1},${ctrl} ${x2},${ctrl} ${x2},${boxY - 2}`, fill: 'none', stroke: `var(--${kind})`, 'stroke-width': 4, 'stroke-dasharray': kind === 'ok' ? null : '10 7', 'marker-end': `url(#arrow-${kind})` }));
      svg.append(s('text', { x: (x1 + x2) / 2, y: apex - 8, 'text-anchor': 'middle', 'font-size': 17, 'font-weight': 700, fill: 'var(--ink)', stroke: 'var(--panel)', 'stroke-width': 6, 'paint-order': 'stroke' },
        `${l.link_name} · ${l.mode ? l.mode + ' · ' : ''}${l.link_state}${l.link_error && l.link_error !== 'NO_ERROR' ? ' · ' + l.link_error : ''} · ${mirrors} mirror${mirrors === 1 ? '' : 's'}`));
    }
    i++;
  }
  for (const c of state.clusters) {
    const p = pos[c.cluster_id];
    const up = c.running;
    svg.append(s('g', {},
      s('rect', { x: p.x, y: p.y, width: boxW, height: boxH, rx: 12, fill: up ? '#eef6ff' : '#fdecea', stroke: up ? 'var(--accent)' : 'var(--bad)', 'stroke-width': 3, 'stroke-dasharray': up ? null : '8 6' }),
      s('text', { x: p.x + 16, y: p.y + 34, 'font-size': 22, 'font-weight': 700, fill: 'var(--ink)' }, c.cluster_id),
      s('text', { x: p.x + 16, y: p.y + 62, 'font-size': 15, fill: 'var(--muted)' }, (c.bootstrap_servers || []).join(',')),
      s('text', { x: p.x + 16, y: p.y + 90, 'font-size': 15, 'font-weight': 700, fill: up ? 'var(--ok)' : 'var(--bad)' }, `${up ? 'UP' : 'DOWN'} · ${c.embedded ? 'embedded' : 'external'}`)));
  }
  const desc = state.clusters.map((c) => `${c.cluster_id} ${c.running ? 'up' : 'down'}`).concat([...arrows.values()].map((l) => `link ${l.link_name} from ${l.src} to ${l.dst} is ${l.link_state}`)).join('; ');
  $('#topology').setAttribute('aria-label', `Clusters and links: ${desc}`);
  swap($('#topology'), svg);
}

function renderClusters() {
  swap($('#clusters'), state.clusters.map((c) => h('li', { class: 'cluster', 'data-cluster': c.cluster_id },
    h('strong', {}, c.cluster_id),
    badge(c.running ? 'UP' : 'DOWN'),
    h('code', {}, (c.bootstrap_servers || []).join(',')),
    h('span', { class: 'muted' }, c.embedded ? 'embedded' : 'external'),
    c.embedded ? (c.running
      ? h('button', { type: 'button', 'data-key': `stop-${c.cluster_id}`, 'aria-label': `Stop cluster ${c.cluster_id} (outage drill)`, onclick: () => act(`Stop cluster ${c.cluster_id}? Its clients lose their connections and links reading from it go UNAVAILABLE.`, 'POST', `/emulator/v1/clusters/${enc(c.cluster_id)}:stop`) }, 'Stop (outage drill)')
      : h('button', { type: 'button', class: 'primary', 'data-key': `start-${c.cluster_id}`, 'aria-label': `Start cluster ${c.cluster_id}`, onclick: () => act(`Start cluster ${c.cluster_id} again?`, 'POST', `/emulator/v1/clusters/${enc(c.cluster_id)}:start`) }, 'Start')) : null)));
}

const MIRROR_ACTIONS = [
  ['pause', 'Pause', 'Pause mirroring of'],
  ['resume', 'Resume', 'Resume mirroring of'],
  ['failover', 'Failover', 'Fail over (stop mirroring now, whatever the lag, and make writable)'],
  ['promote', 'Promote', 'Promote (wait for lag 0, then stop mirroring and make writable)'],
  ['reverse-and-start-mirror', 'Reverse & start', 'Reverse the direction of'],
  ['truncate-and-restore', 'Truncate & restore', 'Truncate to the remote stopped offsets and restore mirroring of'],
];

function renderLinks() {
  const box = $('#links');
  if (!state.links.length) {
    swap(box, h('p', { class: 'muted' }, 'No cluster links yet: create one below.'));
    return;
  }
  swap(box, state.links.map((l) => {
    const k = key(l);
    const mirrors = state.mirrors[k] || [];
    const err = l.link_error && l.link_error !== 'NO_ERROR';
    return h('article', { class: 'link', 'data-link': k, 'aria-label': `Link ${l.link_name} on ${l.cluster_id}` },
      h('div', { class: 'link-head' },
        h('span', { class: 'name' }, l.link_name),
        h('span', {}, `on ${l.cluster_id}: ${l.src} → ${l.dst}${l.mode ? ' · ' + l.mode : ''}`),
        badge(l.link_state),
        err ? h('span', { class: 'err' }, `${l.link_error}${l.link_error_message ? ': ' + l.link_error_message : ''}`) : null,
        h('button', { type: 'button', 'data-key': `del-${k}`, 'aria-label': `Delete link ${l.link_name} on ${l.cluster_id}`, onclick: () => act(`Delete link ${l.link_name} on ${l.cluster_id}?`, 'DELETE', `${v3(l.cluster_id)}/links/${enc(l.link_name)}`) }, 'Delete link')),
      h('div', { class: 'tasks', 'aria-label': 'Link tasks' }, (l.tasks || []).map((t) =>
        h('span', {}, `${t.task_name}: `, badge(t.state), (t.errors || []).map((e) => h('span', { class: 'err' }, ` ${e.error_code}: ${e.error_message}`))))),
      receives(l) ? mirrorTable(l, mirrors) : h('p', { class: 'muted' }, 'Source side: its mirror topics live on ' + l.dst + '.'));
  }));
}

function mirrorTable(l, mirrors) {
  if (!mirrors.length) return h('p', { class: 'muted' }, 'No mirror topics.');
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Mirror topic'), h('th', {}, 'Status'), h('th', {}, 'Lag per partition'), h('th', {}, 'Actions'))),
    h('tbody', {}, mirrors.map((m) => {
      const mk = `${key(l)}/${m.mirror_topic_name}`;
      const max = Math.max(10, ...(m.mirror_lags || []).map((x) => x.lag));
      const total = (m.mirror_lags || []).reduce((a, x) => a + Math.max(0, x.lag), 0);
      return h('tr', { 'data-mirror': m.mirror_topic_name },
        h('td', {}, h('strong', {}, m.mirror_topic_name), m.source_topic_name !== m.mirror_topic_name ? h('div', { class: 'muted' }, `from ${m.source_topic_name}`) : null),
        h('td', {}, badge(m.mirror_status), m.mirror_topic_error && m.mirror_topic_error !== 'NO_ERROR' ? h('div', { class: 'err' }, m.mirror_topic_error) : null,
          (m.mirror_state_transition_errors || []).map((e) => h('div', { class: 'err' }, `${e.error_code}: ${e.error_message}`))),
        h('td', {}, h('div', { class: 'lags', 'data-total-lag': total, 'aria-label': `Total lag ${total} records` },
          (m.mirror_lags || []).map((x) => h('span', { class: 'lag' + (x.lag === 0 ? ' zero' : ''), 'data-partition': x.partition },
            `p${x.partition}`, h('span', { class: 'bar' }, h('i', { style: `width:${Math.max(x.lag > 0 ? 4 : 100, Math.round(100 * x.lag / max))}%` })), String(x.lag))))),
        h('td', {}, h('div', { class: 'actions' },
          MIRROR_ACTIONS.map(([op, label, verb]) => h('button', { type: 'button', 'data-key': `${op}-${mk}`, 'data-action': op,
            'aria-label': `${label} mirror topic ${m.mirror_topic_name}`,
            onclick: () => mirrorAction(l, m, op, `${verb} mirror topic ${m.mirror_topic_name} on link ${l.link_name}?`) }, label)),
          h('button', { type: 'button', class: 'primary', 'data-key': `verify-${mk}`, 'data-action': 'verify', 'aria-label': `Verify mirror topic ${m.mirror_topic_name} against its source`, onclick: () => verifyMirror(l, m) }, 'Verify'))));
    })));
}

function renderRuns() {
  const box = $('#demo-runs');
  if (!state.runs.length) { swap(box, h('p', { class: 'muted' }, 'No demo traffic yet. Demo records carry the header linkemu-demo=true and keys starting linkemu-demo-.')); return; }
  swap(box, h('table', {},
    h('thead', {}, h('tr', {}, ['Run', 'Cluster / topic', 'State', 'Rate', 'Produced', 'Consumed (group)', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, state.runs.map((r) => h('tr', { 'data-run': r.id },
      h('td', {}, r.id), h('td', {}, `${r.cluster_id} / ${r.topic}`),
      h('td', {}, badge(r.state), r.reason ? h('div', { class: r.state === 'FAILED' ? 'err' : 'muted' }, r.reason) : null),
      h('td', {}, `${r.records_per_second}/s`),
      h('td', { 'data-produced': r.produced }, `${r.produced} / ${r.max_records}`),
      h('td', {}, `${r.consumed}${r.consumer_group ? ' (' + r.consumer_group + ')' : ''}`),
      h('td', {}, r.state === 'RUNNING' ? h('button', { type: 'button', 'data-key': `stoprun-${r.id}`, 'aria-label': `Stop demo run ${r.id}`, onclick: () => act(`Stop demo run ${r.id}?`, 'POST', `/emulator/v1/demo/traffic/${enc(r.id)}:stop`) }, 'Stop') : null))))));
}

function fillSelects() {
  fill('select[data-clusters]', state.clusters.map((c) => c.cluster_id));
  fill('select[data-links]', state.links.filter(receives).map(key));
}

function fill(selector, ids) {
  for (const sel of document.querySelectorAll(selector)) {
    if (sel.dataset.ids === ids.join(',')) continue;
    const keep = sel.value;
    sel.replaceChildren(...ids.map((id) => h('option', { value: id }, id)));
    sel.value = ids.includes(keep) ? keep : (sel.hasAttribute('data-second') && ids.length > 1 ? ids[1] : ids[0]);
    sel.dataset.ids = ids.join(',');
  }
}

// ---- Actions --------------------------------------------------------------

function log(text, bad) {
  if (bad) showAlert(text);
  const li = h('li', { class: bad ? 'bad' : '' }, `${new Date().toLocaleTimeString()} ${text}`);
  $('#log').prepend(li);
  while ($('#log').children.length > 60) $('#log').lastChild.remove();
}

// showAlert shows the API's error message at the top of the page until
// dismissed.
function showAlert(text) {
  const box = $('#alert');
  swap(box, h('p', {}, h('strong', {}, 'The API answered: '), text),
    h('button', { type: 'button', 'aria-label': 'Dismiss the error', onclick: () => { box.hidden = true; } }, 'Dismiss'));
  box.hidden = false;
}

function confirmDialog(text, call) {
  const dlg = $('#confirm');
  // The live view replaces the button that opened the dialog; give focus
  // back to its replacement when the dialog closes.
  const back = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
  dlg.addEventListener('close', () => {
    const el = back && document.querySelector(`[data-key="${CSS.escape(back)}"]`);
    if (el) el.focus();
  }, { once: true });
  $('#confirm-text').textContent = text;
  $('#confirm-call').textContent = call;
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.returnValue = 'cancel';
    dlg.showModal();
    $('#confirm-cancel').focus();
  });
}

// act confirms, calls the API and logs the answer in the API's words.
async function act(question, method, path, body) {
  if (!(await confirmDialog(question, `${method} ${path}${body ? ' ' + JSON.stringify(body) : ''}`))) return null;
  try {
    const out = await api(method, path, body);
    log(`${method} ${path}: OK`);
    refresh();
    return out;
  } catch (e) {
    log(`${method} ${path}: ${e.message}`, true);
    return null;
  }
}

async function mirrorAction(l, m, op, question) {
  const out = await act(question, 'POST', `${v3(l.cluster_id)}/links/${enc(l.link_name)}/mirrors:${op}`, { mirror_topic_names: [m.mirror_topic_name] });
  for (const r of (out && out.data) || []) {
    if (r.error_code) log(`${op} ${r.mirror_topic_name}: ${r.error_code}: ${r.error_message}`, true);
    else if (r.messages_truncated) log(`${op} ${r.mirror_topic_name}: ${r.messages_truncated} records truncated`);
  }
}

async function createMirror(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const l = state.links.find((x) => key(x) === f.get('link'));
  if (!l) { log('Create a cluster link first.', true); return; }
  const topic = f.get('source_topic_name').trim();
  await act(`Create mirror topic ${topic} over link ${l.link_name} on ${l.cluster_id}?`, 'POST', `${v3(l.cluster_id)}/links/${enc(l.link_name)}/mirrors`, { source_topic_name: topic });
}

async function createLink(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const name = f.get('link_name').trim(), src = f.get('source'), dst = f.get('destination');
  const configs = f.get('offset_sync') ? [
    { name: 'consumer.offset.sync.enable', value: 'true' },
    { name: 'consumer.offset.sync.ms', value: '1000' },
    { name: 'consumer.offset.group.filters', value: '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}' },
  ] : [];
  await act(`Create link ${name} from ${src} to ${dst} (on ${dst})?`, 'POST', `${v3(dst)}/links?link_name=${enc(name)}`, { source_cluster_id: src, configs });
}

async function startDemo(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { cluster_id: f.get('cluster_id'), topic: f.get('topic').trim(),
    records_per_second: Number(f.get('records_per_second')), max_records: Number(f.get('max_records')), duration_seconds: Number(f.get('duration_seconds')) };
  await act(`Produce ${body.records_per_second} demo records/s to ${body.topic} on ${body.cluster_id} (at most ${body.max_records} records, ${body.duration_seconds} s), with a consumer group reading them?`, 'POST', '/emulator/v1/demo/traffic', body);
}

async function verifyMirror(l, m) {
  const box = $('#proof');
  const path = `/emulator/v1/clusters/${enc(l.cluster_id)}/links/${enc(l.link_name)}/mirrors/${enc(m.mirror_topic_name)}:verify`;
  swap(box, h('p', { role: 'status' }, `Verifying ${m.mirror_topic_name} against ${m.source_topic_name}… (POST ${path})`));
  try {
    const rep = await api('POST', path);
    log(`POST ${path}: ${rep.equal ? 'equal' : 'NOT equal'}`, !rep.equal);
    swap(box, proofView(rep));
  } catch (e) {
    log(`POST ${path}: ${e.message}`, true);
    swap(box, h('p', { class: 'err', role: 'alert' }, e.message));
  }
  box.scrollIntoView({ block: 'nearest' });
}

function proofView(rep) {
  const behind = rep.partitions.some((p) => p.result === 'MIRROR_BEHIND');
  const cls = rep.equal ? 'ok' : (behind && !rep.partitions.some((p) => p.result === 'DIFFERENT') ? 'warn' : 'bad');
  return h('div', { 'data-equal': String(rep.equal) },
    h('p', { class: `verdict ${cls}`, role: 'status' },
      rep.equal ? `✔ ${rep.mirror_topic_name} on ${rep.cluster_id} equals ${rep.source_topic_name} on ${rep.source_cluster_id}` : `✘ ${rep.mirror_topic_name} is not an exact copy of ${rep.source_topic_name}`),
    h('p', { class: 'muted' }, `${rep.records_compared} records and markers compared in ${rep.duration_ms} ms · mirror status ${rep.mirror_status} · snapshot ${rep.snapshot_at}`),
    h('table', {},
      h('thead', {}, h('tr', {}, ['Partition', 'Result', 'Range checked', 'Compared', 'First difference', 'Not checked'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rep.partitions.map((p) => h('tr', { 'data-partition': p.partition },
        h('td', {}, String(p.partition)), h('td', {}, badge(p.result)),
        h('td', {}, `[${p.checked_from_offset}, ${p.checked_to_offset})`),
        h('td', {}, `${p.records_compared} records, ${p.markers_compared} markers`),
        h('td', {}, p.first_difference ? h('span', { class: 'err' }, `offset ${p.first_difference.offset}: ${p.first_difference.field} — source ${p.first_difference.source}, mirror ${p.first_difference.mirror}`) : '—'),
        h('td', {}, p.not_checked.length ? h('ul', { class: 'notes' }, p.not_checked.map((n) => h('li', {}, n))) : '—'))))),
    h('ul', { class: 'notes', 'aria-label': 'Not checked' }, rep.not_checked.map((n) => h('li', {}, `Not checked: ${n}`))));
}

// ---- Start ----------------------------------------------------------------

$('#create-link').addEventListener('submit', createLink);
$('#create-mirror').addEventListener('submit', createMirror);
$('#demo-form').addEventListener('submit', startDemo);
refresh();
setInterval(refresh, POLL_MS);
