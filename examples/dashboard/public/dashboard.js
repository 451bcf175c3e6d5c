// The dashboard page: no framework, no build step. It listens to /events (Server-Sent Events):
// every connection starts with a `snapshot` (the whole state), then `studio` and `log` events
// as the handlers fire. When the stream drops, it reconnects with a growing delay, and the
// snapshot it gets back replaces whatever it had, so nothing missed meanwhile stays missing.

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const MAX_LOG_ROWS = 200;

const $ = (selector) => document.querySelector(selector);
const connection = $('#connection');
const tiles = $('#studios');
const logBody = $('#log tbody');
const announcer = $('#announcer');

/** @type {EventSource | undefined} */
let source;
let retries = 0;
let snapshots = 0;
let lastSeq = 0;

connect();
// "2 min ago" goes stale: refresh the relative times now and then.
setInterval(refreshRelativeTimes, 5000);

function connect() {
  setConnection('connecting', retries === 0 ? 'Connecting…' : `Reconnecting (attempt ${retries})…`);
  source = new EventSource('/events');
  source.addEventListener('snapshot', (message) => {
    retries = 0;
    applySnapshot(JSON.parse(message.data));
    connection.dataset.snapshots = String(++snapshots);
    setConnection('live', snapshots === 1 ? 'Live updates' : 'Live updates (resynchronised)');
  });
  source.addEventListener('studio', (message) => {
    const { studio } = JSON.parse(message.data);
    renderTile(studio);
    announce(studio);
  });
  source.addEventListener('log', (message) => {
    const { entry, counts } = JSON.parse(message.data);
    if (entry.seq <= lastSeq) return;
    lastSeq = entry.seq;
    logBody.prepend(renderLogRow(entry));
    while (logBody.rows.length > MAX_LOG_ROWS) logBody.lastElementChild.remove();
    renderCounts(counts);
  });
  source.addEventListener('error', () => {
    // The browser would retry by itself, but not after a 5xx answer: retry here, the same
    // way for both, with a growing delay.
    source.close();
    const delay = RETRY_DELAYS_MS[Math.min(retries, RETRY_DELAYS_MS.length - 1)];
    retries += 1;
    setConnection(
      'reconnecting',
      `Connection lost, reconnecting in ${Math.round(delay / 100) / 10} s…`,
    );
    setTimeout(connect, delay);
  });
}

function applySnapshot(snapshot) {
  $('#feed').textContent = snapshot.feed;
  const seen = new Set();
  for (const studio of snapshot.studios) {
    renderTile(studio);
    seen.add(studio.studioId);
  }
  for (const tile of tiles.querySelectorAll('.tile')) {
    if (!seen.has(tile.dataset.studio)) tile.closest('li').remove();
  }
  logBody.replaceChildren(...snapshot.log.map(renderLogRow));
  lastSeq = snapshot.log[0]?.seq ?? 0;
  renderCounts(snapshot.counts);
}

const STATUS = {
  live: { icon: '●', text: 'Live' },
  offline: { icon: '○', text: 'Offline' },
  unknown: { icon: '◌', text: 'No event yet' },
};

function renderTile(studio) {
  let tile = tiles.querySelector(`.tile[data-studio="${CSS.escape(studio.studioId)}"]`);
  if (!tile) {
    const item = $('#tile-template').content.firstElementChild.cloneNode(true);
    tile = item.querySelector('.tile');
    tile.dataset.studio = studio.studioId;
    const heading = tile.querySelector('.tile-name');
    heading.id = `tile-${studio.studioId}`;
    heading.textContent = studio.studioId;
    tile.setAttribute('aria-labelledby', heading.id);
    tiles.append(item);
  }
  const changed = tile.dataset.status !== undefined && tile.dataset.status !== studio.status;
  tile.dataset.status = studio.status;
  tile.querySelector('.status-icon').textContent = STATUS[studio.status].icon;
  tile.querySelector('.status-text').textContent = STATUS[studio.status].text;
  tile.querySelector('.since-label').textContent =
    studio.status === 'offline' ? 'Offline since' : 'Live since';
  tile.querySelector('.since').replaceChildren(...timeNodes(studio.since));
  tile
    .querySelector('.encoder')
    .replaceChildren(studio.encoderStreamId ? code(studio.encoderStreamId) : '—');
  tile.querySelector('.source').replaceChildren(studio.source ? sourceBadge(studio.source) : '—');
  if (changed) {
    tile.classList.remove('changed');
    // Restart the highlight animation (reading offsetWidth forces the style change through).
    void tile.offsetWidth;
    tile.classList.add('changed');
  }
}

const OUTCOME = {
  delivered: { icon: '✓', text: 'delivered' },
  duplicate: { icon: '⊘', text: 'dropped: duplicate' },
  rejected: { icon: '✗', text: 'rejected' },
  'in-flight': { icon: '⧗', text: 'in flight: retry later' },
  failed: { icon: '!', text: 'failed' },
};

function renderLogRow(entry) {
  const row = document.createElement('tr');
  row.dataset.outcome = entry.outcome;
  row.dataset.seq = String(entry.seq);
  const outcome = OUTCOME[entry.outcome] ?? { icon: '?', text: entry.outcome };
  const outcomeCell = document.createElement('span');
  outcomeCell.className = 'outcome';
  const icon = document.createElement('span');
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = `${outcome.icon} `;
  outcomeCell.append(icon, outcome.text, entry.code ? ` (${entry.code})` : '');
  if (entry.detail) outcomeCell.title = entry.detail;
  const cells = [
    timeNodes(entry.at, false),
    [entry.type ?? '—'],
    [entry.studioId ?? '—'],
    [entry.deliveryId ? code(entry.deliveryId) : '—'],
    [entry.source ? sourceBadge(entry.source) : '—'],
    [entry.attempt === null ? '—' : String(entry.attempt)],
    [outcomeCell],
  ];
  for (const [index, content] of cells.entries()) {
    const cell = document.createElement('td');
    cell.className = ['time', 'type', 'studio', 'delivery', 'source', 'attempt', 'outcome-cell'][
      index
    ];
    cell.append(...content);
    row.append(cell);
  }
  return row;
}

function renderCounts(counts) {
  $('#count-delivered').textContent = String(counts.delivered);
  $('#count-duplicates').textContent = String(counts.duplicates);
  $('#count-rejected').textContent = String(counts.rejected);
  $('#log-empty').hidden = logBody.rows.length > 0;
}

function setConnection(state, text) {
  connection.dataset.state = state;
  connection.querySelector('.connection-icon').textContent = {
    live: '●',
    connecting: '◌',
    reconnecting: '↻',
  }[state];
  connection.querySelector('.connection-text').textContent = text;
}

function announce(studio) {
  if (studio.status === 'unknown') return;
  announcer.textContent = `${studio.studioId} is ${studio.status === 'live' ? 'live' : 'offline'}, delivered by ${studio.source}.`;
}

function timeNodes(iso, withAgo = true) {
  if (!iso) return ['—'];
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return [iso];
  const time = document.createElement('time');
  time.dateTime = iso;
  time.textContent = date.toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  time.title = date.toString();
  if (!withAgo) return [time];
  const ago = document.createElement('span');
  ago.className = 'ago';
  ago.dataset.since = iso;
  ago.textContent = ` (${relative(date)})`;
  return [time, ago];
}

function refreshRelativeTimes() {
  for (const ago of document.querySelectorAll('.ago')) {
    ago.textContent = ` (${relative(new Date(ago.dataset.since))})`;
  }
}

const relativeFormat = new Intl.RelativeTimeFormat([], { numeric: 'auto' });
function relative(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  if (Math.abs(seconds) < 60) return relativeFormat.format(Math.min(seconds, 0), 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relativeFormat.format(minutes, 'minute');
  return relativeFormat.format(Math.round(minutes / 60), 'hour');
}

function code(text) {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}

function sourceBadge(source) {
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.source = source;
  const icon = document.createElement('span');
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = source === 'webhook' ? '⇢ ' : '↻ ';
  badge.append(icon, source);
  return badge;
}
