// THING's page: the home view (lobbies, join, waiting for approval) and the lobby view (members, library, upload,
// queue, wanted list, now playing). What it shows of a lobby it learns from replies (USERS, LIST, QUEUE, WANTED),
// EVENT lines, UPDATE and the playback events, never from NOTIFY text, which is shown as a toast for people.

import { ThingConnection, socketUrl, titleKey } from './protocol.js';
import { ClockSync, ClockSampler } from './clock.js';
import { Player } from './player.js';
import { SongStore } from './store.js';
import { contentHash } from './mp3.js';
import { BoardSound, INSTRUMENTS, applyBoardEvent, newBoard, noteAt, placeNote, reach, removeNote, rowLabel }
  from './board.js';

const $ = (id) => document.getElementById(id);
const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const LOBBIES_POLL_MS = 2000;
const USERS_POLL_MS = 5000;
// The queue is pushed (EVENT ENTRY / EVENT QUEUE, RFC 6.16); this slow QUEUE is only a safety net, so that a page
// that somehow missed a change (a server bug, a line lost to a reconnect) is right again within half a minute.
const QUEUE_POLL_MS = 30000;
const WANTED_POLL_MS = 5000;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

export function formatTime(seconds) {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) seconds = 0;
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// ---- toasts ----

const notices = [];
function toast(text, kind = 'info') {
  notices.push({ text, kind, at: Date.now() });
  if (notices.length > 50) notices.shift();
  const t = el('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', text });
  $('toasts').append(t);
  while ($('toasts').children.length > 3) $('toasts').firstElementChild.remove();
  setTimeout(() => t.classList.add('fade'), kind === 'error' ? 7000 : 4500);
  setTimeout(() => t.remove(), kind === 'error' ? 7600 : 5100);
}

function showView(name) {
  for (const v of ['home', 'waiting', 'lobby', 'closed']) $(`${v}-view`).hidden = v !== name;
  app.view = name;
  $('leave').hidden = !(name === 'lobby');
  $('account-button').hidden = !(name === 'lobby');
  if (name !== 'lobby') closeAccount();
}

// ---- state ----

const clock = new ClockSync();
const store = new SongStore();
const app = {
  view: 'home',
  home: null,
  conn: null,
  sampler: null,
  lobby: null,
  username: null,
  members: new Map(), // name -> {name, role, rtt}
  waiting: [],
  library: new Map(), // title key -> song
  listed: false,
  queue: [],
  queueChange: new Map(), // EVENT ENTRY lines of a change whose EVENT QUEUE has not come yet, by position
  queuePushes: 0, // changes pushed (EVENT QUEUE lines), for the tests
  queueSeq: 0, // counts pushed queue lines: a QUEUE reply asked before the last of them is older than they are
  wanted: [],
  autoplay: null,
  sort: { key: 'id', dir: 1 },
  filter: '',
  upload: null,
  timers: [],
  fetching: new Map(), // title key -> Promise<{bytes, hash}>
  login: null, // a connection whose login was refused and that the server keeps open for another join line
  connections: 0, // join connections opened (a retried login reuses one)
  registered: false, // this page joined with a password or registered since
  chat: [], // {user, text, mine}
  votes: null, // {title, votes, needed}
  voted: null, // title key of the song this page voted to skip
  voteShare: null,
  bans: null, // [{user, scope, by}] once BANS was asked
};

const player = new Player(clock, loadSong, (title) => songByTitle(title)?.hash ?? null);
player.addEventListener('change', () => renderNow());

function myRole() {
  for (const m of app.members.values()) {
    if (m.name.toLowerCase() === (app.username || '').toLowerCase()) return m.role;
  }
  return null;
}
const isAdmin = () => myRole() === 'ADMIN';
const isStaff = () => myRole() === 'ADMIN' || myRole() === 'MODERATOR';

// ---- home: the lobby list, from a connection that has not joined ----

function startHome() {
  showView('home');
  $('where').textContent = '';
  if (app.home && app.home.open) return;
  const c = new ThingConnection(socketUrl());
  app.home = c;
  let timer = null;
  const poll = () => {
    if (!c.open) return;
    c.send('LOBBIES').then((r) => {
      if (r.ok) renderLobbies(r.data.filter((d) => d.verb === 'LOBBY'));
    }, () => {});
  };
  c.greeted.then(() => {
    $('home-status').textContent = '';
    poll();
    timer = setInterval(poll, LOBBIES_POLL_MS);
  }, () => {});
  c.addEventListener('closed', (e) => {
    clearInterval(timer);
    if (app.home !== c) return;
    app.home = null;
    // An unjoined connection is closed by the server's handshake timeout; open a new one while the list shows.
    const lost = e.detail.wasState === 'connecting' || !/no join line/.test(e.detail.reason);
    if (lost) $('home-status').textContent = `${e.detail.reason}; trying again…`;
    if (app.view === 'home') setTimeout(() => { if (app.view === 'home') startHome(); }, lost ? 2000 : 0);
  });
}

function stopHome() {
  const c = app.home;
  app.home = null;
  if (c) c.quit();
}

function renderLobbies(lines) {
  const body = $('lobbies').tBodies[0];
  renderList(body, JSON.stringify(lines.map((l) => l.args)), () => lines.map((l) => {
    const [name, members, pending] = l.args;
    return el('tr', { 'data-lobby': name },
      el('td', { text: name }),
      el('td', { class: 'num', text: members }),
      el('td', { class: 'num', text: pending }),
      el('td', {}, el('button', {
        type: 'button',
        class: 'small-btn',
        text: 'Join',
        onclick: () => {
          $('join-lobby').value = name;
          $('join-user').focus();
        },
      })));
  }));
  $('home-status').textContent = lines.length ? '' : 'No lobbies yet: name one below to create it.';
}

// ---- joining ----

// ---- coming back after a drop (RFC 3.15): the token is kept in this tab's sessionStorage ----
// An account comes back with its token too (the server takes the token of an account's place for its password), so
// the page never keeps a password: not in storage, and not in memory after the join line is sent. Whether the place
// is an account's is kept beside the token only to show the right account menu after a reload.

const REJOIN_KEY = 'thing.rejoin';
const REJOIN_WINDOW_MS = 150000; // the server keeps a place 120 s unless told otherwise
const REJOIN_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];

function keepToken(lobby, username, token) {
  const registered = app.registered;
  try { sessionStorage.setItem(REJOIN_KEY, JSON.stringify({ lobby, username, token, registered })); } catch (e) { /* private mode */ }
}

function keptToken() {
  try { return JSON.parse(sessionStorage.getItem(REJOIN_KEY) || 'null'); } catch (e) { return null; }
}

function forgetToken() {
  try { sessionStorage.removeItem(REJOIN_KEY); } catch (e) { /* private mode */ }
}

/** Comes back to the kept place, trying again with growing waits while the server may still keep it. */
async function comeBack(kept) {
  app.rejoining = true;
  $('closed-reason').textContent = `The connection was lost; coming back to ${kept.lobby}…`;
  showView('closed');
  const deadline = Date.now() + REJOIN_WINDOW_MS;
  let why = 'the server did not answer in time';
  for (let attempt = 0; Date.now() < deadline && app.rejoining; attempt++) {
    await new Promise((ok) => setTimeout(ok, REJOIN_BACKOFF_MS[Math.min(attempt, REJOIN_BACKOFF_MS.length - 1)]));
    if (!app.rejoining) return;
    const c = new ThingConnection(socketUrl());
    app.conn = c;
    app.lobby = kept.lobby;
    app.username = kept.username;
    app.removed = false;
    wire(c);
    const result = await c.join(kept.lobby, kept.username, '', kept.token);
    if (!app.rejoining) return; // given up (the place was not kept: approval was asked for; or Home)
    if (result.outcome === 'joined') {
      app.rejoining = false;
      app.registered = !!kept.registered;
      enterLobby();
      toast(`reconnected to ${kept.lobby}`, 'info');
      return;
    }
    if (app.conn === c) app.conn = null;
    c.close();
    if (result.outcome === 'closed') continue; // the server is not reachable yet
    why = result.outcome === 'taken' ? `the name ${kept.username} is in use there` : result.text;
    break;
  }
  app.rejoining = false;
  forgetToken();
  $('closed-reason').textContent = `Could not come back to ${kept.lobby}: ${why}.`;
  showView('closed');
}

async function join(lobby, username, password = '') {
  $('join-error').textContent = '';
  if (!NAME.test(lobby) || !NAME.test(username)) {
    $('join-error').textContent = 'Lobby and name must each be 1 to 32 letters, digits, “_” or “-”.';
    return;
  }
  try { localStorage.setItem('thing.username', username); } catch (e) { /* private mode */ }
  $('join-button').disabled = true;
  // After a login refusal the server keeps the connection open for another join line (RFC 3.4, 4.6): use it again.
  let c = app.conn && app.conn.state === 'unjoined' && app.login === app.conn ? app.conn : null;
  if (!c) {
    stopHome();
    c = new ThingConnection(socketUrl());
    app.connections++;
    app.conn = c;
    wire(c);
  }
  app.login = null;
  app.lobby = lobby;
  app.username = username;
  const result = await c.join(lobby, username, password);
  $('join-button').disabled = false;
  if (app.conn !== c) return;
  if (result.outcome === 'joined') {
    app.registered = !!password;
    $('join-password').value = '';
    enterLobby();
    return;
  }
  if (result.outcome === 'error' && c.open && c.state === 'unjoined') {
    // A refused login (a registered name, a wrong password, a ban): the connection stays for another try.
    app.login = c;
    startHome();
    $('join-error').textContent = result.text;
    $('join-password-box').classList.add('asked');
    $('join-password').focus();
    return;
  }
  app.conn = null;
  c.close();
  const text = result.outcome === 'taken' ? `The name ${username} is already in ${lobby}; pick another.`
    : result.text;
  startHome();
  $('join-error').textContent = text;
}

function cancelWaiting() {
  const c = app.conn;
  app.conn = null;
  forgetToken();
  if (c) c.quit();
  startHome();
  $('join-error').textContent = '';
}

function leave() {
  const c = app.conn;
  app.conn = null;
  forgetToken(); // a QUIT gives the place up
  stopLobby();
  if (c) c.quit();
  startHome();
}

function wire(c) {
  c.addEventListener('pending', (e) => {
    if (app.conn !== c) return;
    if (app.rejoining) {
      // The place was not kept: coming back does not mean asking to be let in again.
      app.conn = null;
      app.rejoining = false;
      forgetToken();
      c.quit();
      $('closed-reason').textContent = `Could not come back to ${e.detail.lobby}: your place was not kept.`;
      showView('closed');
      return;
    }
    $('waiting-text').textContent = `Waiting for the admin or a moderator of ${e.detail.lobby} to let you in…`;
    showView('waiting');
  });
  c.addEventListener('notify', (e) => {
    if (app.conn === c) toast(e.detail.text, e.detail.error ? 'error' : 'info');
  });
  c.addEventListener('event', (e) => { if (app.conn === c) onEvent(e.detail.kind, e.detail.args); });
  c.addEventListener('update', (e) => { if (app.conn === c) onUpdate(e.detail); });
  c.addEventListener('play', (e) => {
    if (app.conn !== c) return;
    toastWhoActed(e.detail.title, e.detail.positionMs);
    player.onPlay(e.detail);
    songChanged(e.detail.title);
    renderNow();
  });
  c.addEventListener('pause', (e) => {
    if (app.conn === c) { toastWhoActed(e.detail.title, e.detail.positionMs); player.onPause(e.detail); renderNow(); }
  });
  c.addEventListener('stop', () => {
    if (app.conn === c) { toastWhoActed(null, 0); player.onStop(); songChanged(null); renderNow(); }
  });
  c.addEventListener('transfer', (e) => { if (app.conn === c) keepPushed(e.detail); });
  c.addEventListener('closed', (e) => {
    if (app.conn !== c) return;
    app.conn = null;
    if (app.rejoining) return; // an attempt to come back that failed: comeBack() tries again
    const wasIn = app.view === 'lobby';
    stopLobby();
    const kept = keptToken();
    if (wasIn && !app.removed && kept && kept.lobby === app.lobby && kept.username === app.username) {
      comeBack(kept); // a drop, not a kick: the server keeps our place for a while
      return;
    }
    if (wasIn) {
      $('closed-reason').textContent = e.detail.reason;
      showView('closed');
    } else {
      startHome();
      $('join-error').textContent = e.detail.reason;
    }
  });
}

// ---- the lobby ----

function enterLobby() {
  showView('lobby');
  $('where').textContent = `${app.lobby} · ${app.username}`;
  app.sampler = new ClockSampler(app.conn, clock);
  clock.reset();
  app.sampler.start();
  refreshUsers();
  refreshLibrary();
  refreshQueue();
  app.timers.push(setInterval(refreshUsers, USERS_POLL_MS));
  app.timers.push(setInterval(refreshQueue, QUEUE_POLL_MS));
  app.timers.push(setInterval(() => { if (isStaff()) refreshWanted(); }, WANTED_POLL_MS));
  app.timers.push(setInterval(renderPosition, 250));
  app.timers.push(setInterval(renderBoardColumn, BOARD_COLUMN_MS));
  renderAll();
}

function stopLobby() {
  if (app.sampler) app.sampler.stop();
  app.sampler = null;
  for (const t of app.timers) clearInterval(t);
  app.timers = [];
  player.onStop();
  app.members.clear();
  app.waiting = [];
  app.queue = [];
  app.queueChange.clear();
  app.wanted = [];
  app.autoplay = null;
  app.upload = null;
  app.listed = false;
  app.fetching.clear();
  stopTogether();
  stopBoard();
  renderUploadStatus();
}

/** Sends a command and shows its ERROR as a toast; resolves with the reply (or null when the connection is gone). */
async function command(verb, ...args) {
  const c = app.conn;
  if (!c) return null;
  try {
    const r = await c.send(verb, ...args);
    if (!r.ok) toast(`${verb}: ${r.final.text}`, 'error');
    return r;
  } catch (e) {
    return null;
  }
}

/** A poll: skipped while our upload is on the wire (lines would only pile up behind it). */
async function quietly(verb, ...args) {
  const c = app.conn;
  if (!c || c.upload || c.state !== 'joined') return null;
  try { return await c.send(verb, ...args); } catch (e) { return null; }
}

async function refreshUsers() {
  const r = await quietly('USERS');
  if (!r || !r.ok) return;
  const members = new Map();
  const waiting = [];
  for (const d of r.data) {
    if (d.verb !== 'USER') continue;
    const [name, role, rtt, away] = d.args;
    if (role === 'PENDING') waiting.push(name);
    else members.set(name.toLowerCase(), { name, role, rtt: rtt === '-' ? null : Number(rtt), away: away === 'AWAY' });
  }
  const wasStaff = isStaff();
  app.members = members;
  if (isStaff()) app.waiting = waiting;
  renderMembers();
  if (isStaff() !== wasStaff) renderAll();
}

async function refreshLibrary() {
  const r = await quietly('LIST');
  if (!r || !r.ok) return;
  const lib = new Map();
  for (const d of r.data) {
    if (d.verb !== 'SONG') continue;
    const [id, title, artist, tag1, tag2, durationMs, size, hash] = d.args;
    lib.set(titleKey(title), { id: Number(id), title, artist, tag1, tag2, durationMs: Number(durationMs),
      size: Number(size), hash });
  }
  app.library = lib;
  app.listed = true;
  renderLibrary();
  renderNow();
}

async function refreshQueue() {
  const seq = app.queueSeq;
  const r = await quietly('QUEUE');
  if (!r || !r.ok || app.queueSeq !== seq) return; // a change pushed meanwhile is at least as new as this reply
  app.queue = r.data.filter((d) => d.verb === 'ENTRY').map((d) => {
    const [n, id, title, by] = d.args;
    return { n: Number(n), id: Number(id), title, by };
  });
  renderQueue();
}

/** EVENT QUEUE ends a pushed change: the positions it named are new, the others as before, none past the length. */
function onQueue(length) {
  const now = [];
  for (let n = 1; n <= length; n++) {
    const e = app.queueChange.get(n) || app.queue[n - 1];
    if (e) now.push({ ...e, n });
  }
  app.queueChange.clear();
  app.queueSeq++;
  app.queuePushes++;
  app.queue = now;
  renderQueue();
}

async function refreshWanted() {
  const r = await quietly('WANTED');
  if (!r || !r.ok) return;
  app.wanted = r.data.filter((d) => d.verb === 'WISH').map((d) => {
    const [title, artist, by, lobby] = d.args;
    return { title, artist, by, lobby };
  });
  renderWanted();
}

async function refreshAutoplay() {
  if (!isAdmin()) return;
  const r = await quietly('AUTOPLAY');
  if (!r || !r.ok) return;
  const line = r.data.find((d) => d.verb === 'AUTOPLAY');
  app.autoplay = line ? line.args[0] === 'ON' : null;
  renderControls();
}

/**
 * A playback line caused by a member's command comes right after EVENT BY (RFC 10.1): the page says who acted, in the
 * words the server gives people ("alice paused Long Sweep at 0:53"). Lines without one (a song that ended) say nothing.
 */
function toastWhoActed(title, positionMs) {
  const by = app.by;
  app.by = null;
  if (!by) return;
  const at = formatTime(positionMs / 1000);
  const before = player.event ? player.event.title : null;
  const words = {
    PLAY: title == null ? 'stopped playback' : `played ${title}${positionMs >= 1000 ? ` from ${at}` : ''}`,
    RESUME: `resumed ${title} at ${at}`,
    PAUSE: `paused ${title} at ${at}`,
    SEEK: title == null ? 'stopped playback' : `moved ${title} to ${at}`,
    SKIP: `${before == null ? 'skipped' : `skipped ${before}`}${title == null ? '; nothing is queued' : `, now playing ${title}`}`,
    STOP: before == null ? 'stopped playback' : `stopped ${before}`,
  }[by.action];
  if (words) toast(`${by.who} ${words}`);
}

function onEvent(kind, args) {
  const wasStaff = isStaff();
  switch (kind) {
    case 'BY':
      app.by = { who: args[0], action: args[1] };
      return;
    case 'MEMBER': {
      const [name, role] = args;
      const old = app.members.get(name.toLowerCase());
      app.members.set(name.toLowerCase(), { name, role, rtt: old ? old.rtt : null, away: old ? old.away : false });
      app.waiting = app.waiting.filter((w) => w.toLowerCase() !== name.toLowerCase());
      break;
    }
    case 'GONE':
      if (args[0].toLowerCase() === (app.username || '').toLowerCase()) {
        app.removed = true; // kicked, banned, or replaced by another connection of ours: not a drop to come back from
        forgetToken();
      }
      app.members.delete(args[0].toLowerCase());
      break;
    case 'AWAY':
    case 'BACK': {
      const m = app.members.get(args[0].toLowerCase());
      if (m) m.away = kind === 'AWAY';
      break;
    }
    case 'TOKEN':
      keepToken(app.lobby, app.username, args[1]);
      return;
    case 'ENTRY': {
      const [n, id, title, by] = args;
      app.queueChange.set(Number(n), { n: Number(n), id: Number(id), title, by });
      app.queueSeq++;
      return;
    }
    case 'QUEUE':
      onQueue(Number(args[0]));
      return;
    case 'WAITING':
      if (!app.waiting.some((w) => w.toLowerCase() === args[0].toLowerCase())) app.waiting.push(args[0]);
      break;
    case 'DECIDED':
      app.waiting = app.waiting.filter((w) => w.toLowerCase() !== args[0].toLowerCase());
      break;
    case 'DELETED':
      app.library.delete(titleKey(args[0]));
      if (player.song && titleKey(player.song.title) === titleKey(args[0])) player.song = null;
      renderLibrary();
      break;
    case 'SAID':
      onSaid(args[0], args[1] ?? '');
      return;
    case 'VOTES':
      onVotes(args[0], Number(args[1]), Number(args[2]));
      return;
    case 'RENAMED':
      onRenamed(args[0], args[1]);
      return;
    case 'BOARD':
      onBoardEvent(args);
      return;
    default:
      return; // APPROVAL and kinds this page does not know
  }
  renderMembers();
  if (isStaff() !== wasStaff) renderAll();
}

function onUpdate({ title, artist, tag1, tag2 }) {
  const s = app.library.get(titleKey(title));
  if (!s) {
    refreshLibrary(); // a new song: LIST gives its id, length and hash
    return;
  }
  Object.assign(s, { artist, tag1, tag2 });
  renderLibrary();
  renderNow();
}

// ---- songs: the cache, GET, pushes ----

function songByTitle(title) {
  return app.library.get(titleKey(title)) || null;
}

/** The file of a song, from the page's cache or fetched once with GET (then kept under its content hash). */
function loadSong(title) {
  const key = titleKey(title);
  if (app.fetching.has(key)) return app.fetching.get(key);
  const p = (async () => {
    let song = songByTitle(title);
    if (!song) {
      await refreshLibrary();
      song = songByTitle(title);
    }
    const hash = song ? song.hash : null;
    const cached = await store.get(hash);
    if (cached) return { bytes: cached, hash, from: 'cache' };
    if (!app.conn) throw new Error('not connected');
    const bytes = await app.conn.get(song ? song.title : title);
    const actual = await contentHash(bytes);
    if (hash && actual && actual !== hash) throw new Error('the song arrived damaged (its hash differs from LIST)');
    await store.put(hash || actual, title, bytes);
    return { bytes, hash: hash || actual, from: 'server' };
  })();
  app.fetching.set(key, p);
  p.finally(() => { if (app.fetching.get(key) === p) app.fetching.delete(key); }).catch(() => {});
  return p;
}

/** A song pushed after an upload in our lobby: keep it, so playing it later needs no GET. */
async function keepPushed({ title, bytes }) {
  let song = songByTitle(title);
  if (!song) {
    await refreshLibrary();
    song = songByTitle(title);
  }
  const actual = await contentHash(bytes);
  const hash = song ? song.hash : actual;
  if (!hash || (actual && actual !== hash)) return;
  await store.put(hash, title, bytes);
  // Likely to be played soon (it was just uploaded here): decoded now, it starts without delay.
  player.predecode(bytes, hash, title);
}

// ---- rendering ----

function renderAll() {
  renderMembers();
  renderLibrary();
  renderQueue();
  renderWanted();
  renderControls();
  renderNow();
  $('upload-card').hidden = !isAdmin();
  $('wanted-card').hidden = !isStaff();
  if (isStaff()) refreshWanted();
  if (isAdmin() && app.autoplay == null) refreshAutoplay();
  renderTogether();
  renderBoard();
}

function roleBadge(role) {
  return el('span', { class: `badge ${role.toLowerCase()}`, text: role.toLowerCase() });
}

/**
 * Replaces a list's items only when what they show has changed. The lists are redrawn on every update (an RTT
 * measured, a member's state): rebuilt each time, a button could be swapped out between a finger's press and its
 * release, and the click would be lost.
 */
function renderList(container, key, build) {
  if (container.dataset.key === key) return false;
  container.replaceChildren(...build());
  container.dataset.key = key;
  return true;
}

function rttText(m) {
  return m.rtt == null ? '–' : `${m.rtt.toFixed(1)} ms`;
}

function renderMembers() {
  const me = (app.username || '').toLowerCase();
  const role = myRole();
  const members = [...app.members.values()];
  const key = JSON.stringify([me, role, members.map((m) => [m.name, m.role, !!m.away])]);
  renderList($('members'), key, () => members.map((m) => {
    const self = m.name.toLowerCase() === me;
    const actions = el('span', { class: 'actions' });
    if (role === 'ADMIN' && !self) {
      if (m.role === 'USER') actions.append(el('button', { type: 'button', class: 'small-btn', text: 'Promote', 'data-act': 'promote', onclick: () => command('PROMOTE', m.name).then(refreshUsers) }));
      if (m.role === 'MODERATOR') actions.append(el('button', { type: 'button', class: 'small-btn', text: 'Demote', 'data-act': 'demote', onclick: () => command('DEMOTE', m.name).then(refreshUsers) }));
    }
    if (!self && m.role !== 'ADMIN' && (role === 'ADMIN' || (role === 'MODERATOR' && m.role === 'USER'))) {
      actions.append(el('button', { type: 'button', class: 'small-btn danger', text: 'Kick', 'data-act': 'kick', onclick: () => command('KICK', m.name) }));
      actions.append(banButton(m.name));
    }
    return el('li', { 'data-user': m.name },
      el('span', { class: 'who' }, el('strong', { text: m.name }), self ? el('span', { class: 'muted', text: ' (you)' }) : null,
        m.away ? el('span', { class: 'muted away', title: 'lost the connection; their place is kept', text: ' (away)' }) : null),
      roleBadge(m.role),
      el('span', { class: 'rtt muted', title: 'round-trip time', text: rttText(m) }),
      actions);
  }));
  // Round-trip times change on every PING: written into the items in place.
  for (const li of $('members').children) {
    const m = app.members.get((li.dataset.user || '').toLowerCase());
    const rtt = li.querySelector('.rtt');
    if (m && rtt && rtt.textContent !== rttText(m)) rtt.textContent = rttText(m);
  }
  const staff = isStaff();
  $('pending-box').hidden = !staff || app.waiting.length === 0;
  $('bans-box').hidden = !staff;
  renderList($('pending'), JSON.stringify(app.waiting), () => app.waiting.map((name) => el('li', { 'data-user': name },
    el('span', { class: 'who' }, el('strong', { text: name })),
    el('span', { class: 'actions' },
      el('button', { type: 'button', class: 'small-btn primary', text: 'Accept', 'data-act': 'accept', onclick: () => command('ACCEPT', name).then(refreshUsers) }),
      el('button', { type: 'button', class: 'small-btn danger', text: 'Reject', 'data-act': 'reject', onclick: () => command('REJECT', name).then(refreshUsers) })))));
  renderBoard();
}

function sortedSongs() {
  const f = app.filter.trim().toLowerCase();
  let songs = [...app.library.values()];
  if (f) {
    songs = songs.filter((s) => [s.title, s.artist, s.tag1, s.tag2, `#${s.id}`]
      .some((v) => v.toLowerCase().includes(f)));
  }
  const { key, dir } = app.sort;
  songs.sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const c = typeof x === 'number' ? x - y : x.localeCompare(y, undefined, { sensitivity: 'base', numeric: true });
    return c * dir || a.id - b.id;
  });
  return songs;
}

const FIELD_OF = { artist: 'ARTIST', tag1: 'TAG1', tag2: 'TAG2' };

/** A library cell; where tag edits are allowed, a click edits it in place (the title by RENAME, the rest by SET). */
function editableCell(song, field, label) {
  const td = el('td', { class: `col-${field}`, 'data-label': label, 'data-field': field, text: song[field] });
  if (!isAdmin()) return td;
  td.classList.add('editable');
  td.tabIndex = 0;
  td.title = `Edit ${label.toLowerCase()}`;
  const start = () => {
    if (td.querySelector('input')) return;
    const input = el('input', { value: song[field], maxlength: 256, 'aria-label': `${label} of ${song.title}` });
    let done = false;
    const finish = async (save) => {
      if (done) return;
      done = true;
      const value = input.value;
      td.textContent = save ? value : song[field];
      if (save && field === 'title') {
        // The library follows EVENT RENAMED, which every member gets after the OKAY (RFC 6.37).
        if (value.trim() !== '' && value !== song.title) {
          const r = await command('RENAME', `#${song.id}`, value.trim());
          if (!r || !r.ok) td.textContent = song.title;
        } else {
          td.textContent = song.title;
        }
      } else if (save && value !== song[field]) {
        const r = await command('SONG', `#${song.id}`, 'SET', FIELD_OF[field], value);
        if (r && r.ok) {
          song[field] = value;
          toast(`${song.title}: ${label.toLowerCase()} set`);
        } else {
          td.textContent = song[field];
        }
      }
      renderLibrary(); // whatever changed while the field was open
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); finish(true); }
      if (e.key === 'Escape') { e.preventDefault(); finish(false); }
    });
    input.addEventListener('blur', () => finish(true));
    td.replaceChildren(input);
    input.focus();
    input.select();
  };
  td.addEventListener('click', start);
  td.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target === td) start(); });
  return td;
}

function renderLibrary() {
  if (app.view !== 'lobby') return;
  // Do not pull the table out from under an edit in progress.
  if (document.activeElement && $('library').contains(document.activeElement)
      && document.activeElement.tagName === 'INPUT') return;
  const staff = isStaff();
  const admin = isAdmin();
  const current = player.event ? titleKey(player.event.title) : null;
  const songs = sortedSongs();
  const key = JSON.stringify([staff, admin, current, songs.map((s) => [s.id, s.title, s.artist, s.tag1, s.tag2, s.durationMs])]);
  renderList($('library').tBodies[0], key, () => songs.map((s) => {
    const actions = el('td', { class: 'row-actions' });
    if (staff) actions.append(el('button', { type: 'button', class: 'small-btn primary', text: '▶', title: `Play ${s.title}`, 'aria-label': `Play ${s.title}`, 'data-act': 'play', onclick: () => command('PLAY', `#${s.id}`) }));
    actions.append(el('button', { type: 'button', class: 'small-btn', text: '+', title: `Queue ${s.title}`, 'aria-label': `Queue ${s.title}`, 'data-act': 'request', onclick: () => command('REQUEST', `#${s.id}`) }));
    if (admin) {
      const del = el('button', { type: 'button', class: 'small-btn danger', text: '✕', title: `Delete ${s.title}`, 'aria-label': `Delete ${s.title}`, 'data-act': 'delete' });
      del.addEventListener('click', () => {
        if (del.dataset.armed) {
          command('DELETE', `#${s.id}`);
        } else {
          del.dataset.armed = '1';
          del.textContent = 'Delete?';
          setTimeout(() => { delete del.dataset.armed; del.textContent = '✕'; }, 3000);
        }
      });
      actions.append(del);
    }
    return el('tr', { 'data-id': s.id, 'data-title': s.title, class: titleKey(s.title) === current ? 'current' : null },
      el('td', { class: 'num col-id', 'data-label': '#', text: s.id }),
      editableCell(s, 'title', 'Title'),
      editableCell(s, 'artist', 'Artist'),
      editableCell(s, 'tag1', 'Genre'),
      editableCell(s, 'tag2', 'Comment'),
      el('td', { class: 'num col-len', 'data-label': 'Length', text: formatTime(s.durationMs / 1000) }),
      actions);
  }));
  $('library-empty').hidden = app.library.size > 0;
  $('edit-hint').hidden = !admin || app.library.size === 0;
  for (const th of $('library').tHead.rows[0].cells) {
    const k = th.dataset.sort;
    th.classList.toggle('sorted', k === app.sort.key);
    th.dataset.dir = k === app.sort.key ? (app.sort.dir > 0 ? 'asc' : 'desc') : '';
    if (k) th.setAttribute('aria-sort', k === app.sort.key ? (app.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
  }
}

function renderQueue() {
  const me = (app.username || '').toLowerCase();
  const staff = isStaff();
  const last = app.queue.length;
  renderList($('queue'), JSON.stringify([me, staff, app.queue]), () => app.queue.map((q) => {
    const actions = el('span', { class: 'q-actions' });
    if (staff) {
      actions.append(el('button', { type: 'button', class: 'small-btn', text: '↑', title: `Move ${q.title} up`, 'aria-label': `Move ${q.title} up`, 'data-act': 'up', disabled: q.n <= 1, onclick: () => moveEntry(q, q.n - 1) }));
      actions.append(el('button', { type: 'button', class: 'small-btn', text: '↓', title: `Move ${q.title} down`, 'aria-label': `Move ${q.title} down`, 'data-act': 'down', disabled: q.n >= last, onclick: () => moveEntry(q, q.n + 1) }));
    }
    if (staff || q.by.toLowerCase() === me) {
      actions.append(el('button', { type: 'button', class: 'small-btn danger', text: '✕', title: `Take ${q.title} off the queue`, 'aria-label': `Take ${q.title} off the queue`, 'data-act': 'unqueue', onclick: () => unqueueEntry(q) }));
    }
    return el('li', { 'data-title': q.title, 'data-n': q.n, 'data-by': q.by, class: q.by.toLowerCase() === me ? 'mine' : null },
      el('span', { class: 'q-n muted', text: `${q.n}.` }),
      el('span', { class: 'q-main' }, el('span', { class: 'q-title', text: q.title }),
        el('span', { class: 'muted', text: ` · ${q.by}` })),
      actions);
  }));
  $('queue-empty').hidden = app.queue.length > 0;
}

function renderWanted() {
  const staff = isStaff();
  $('wanted-card').hidden = !staff || app.view !== 'lobby';
  const mine = (app.lobby || '').toLowerCase();
  renderList($('wanted'), JSON.stringify([mine, app.wanted]), () => app.wanted.map((w) => el('li', { 'data-title': w.title },
    el('span', { class: 'q-title', text: w.title }),
    el('span', { class: 'muted', text: `${w.artist ? ` by ${w.artist}` : ''} · ${w.by} in ${w.lobby}` }),
    w.lobby.toLowerCase() === mine ? el('button', { type: 'button', class: 'small-btn', text: 'Remove', 'data-act': 'unwant', onclick: () => command('UNWANT', w.title).then(refreshWanted) }) : null)));
  $('wanted-empty').hidden = app.wanted.length > 0;
}

function renderControls() {
  const staff = isStaff();
  $('controls').hidden = !staff;
  $('pos-bar').disabled = !staff || !player.event;
  const ev = player.event;
  $('btn-pause').textContent = ev && ev.kind === 'pause' ? 'Resume' : 'Pause';
  $('btn-pause').disabled = !ev;
  $('btn-stop').disabled = !ev;
  $('autoplay-box').hidden = !isAdmin() || app.autoplay == null;
  $('autoplay').checked = !!app.autoplay;
}

const STATE_TEXT = {
  stopped: '',
  loading: 'fetching the song…',
  starting: 'starting…',
  playing: 'playing',
  paused: 'paused',
  'needs-sound': 'playing: enable sound to hear it',
  ended: 'playing (the song has ended here)',
  error: '',
};

function renderNow() {
  if (app.view !== 'lobby') return;
  const ev = player.event;
  const song = ev ? songByTitle(ev.title) : null;
  $('now-title').textContent = ev ? ev.title : 'Nothing playing';
  const parts = [];
  if (song && song.artist) parts.push(song.artist);
  const st = ev && ev.kind === 'pause' ? 'paused' : (player.state === 'error' ? player.error : STATE_TEXT[player.state]);
  if (ev && st) parts.push(st);
  $('now-sub').textContent = parts.join(' · ');
  $('now').dataset.state = ev ? player.state : 'stopped';
  // The browser plays nothing before a gesture: show the button while sound is off.
  $('enable-sound').hidden = player.soundEnabled || !player.ctx;
  $('enable-sound').classList.toggle('pulse', player.state === 'needs-sound');
  renderControls();
  renderVotes();
  renderPosition();
  const rows = $('library').tBodies[0].rows;
  for (const r of rows) r.classList.toggle('current', !!ev && titleKey(r.dataset.title) === titleKey(ev.title));
}

let seeking = false;
function renderPosition() {
  if (app.view !== 'lobby') return;
  const ev = player.event;
  const song = ev ? songByTitle(ev.title) : null;
  const length = song ? song.durationMs / 1000 : 0;
  const pos = ev ? Math.min(player.lobbyPosition() ?? 0, length || Infinity) : 0;
  if (!seeking) {
    $('pos-bar').value = length > 0 ? Math.round((pos / length) * 1000) : 0;
  }
  $('pos-now').textContent = formatTime(seeking ? ($('pos-bar').value / 1000) * length : pos);
  $('pos-len').textContent = formatTime(length);
  const d = clock.diagnostics();
  $('sync').textContent = d.offsetMs == null ? 'clock: measuring…'
    : `clock offset ${d.offsetMs.toFixed(1)} ms · best RTT ${d.bestRttMs.toFixed(1)} ms · ${d.samples} samples`;
}

// ---- upload ----

let chosenFile = null;

function chooseFile(file) {
  if (!file) return;
  chosenFile = file;
  $('drop-text').textContent = `${file.name} (${formatBytes(file.size)})`;
  $('up-title').value = file.name.replace(/\.mp3$/i, '').replace(/[_]+/g, ' ').trim().slice(0, 256);
  $('upload-button').disabled = !!app.upload;
}

async function startUpload() {
  const c = app.conn;
  if (!c || !chosenFile || app.upload) return;
  const title = $('up-title').value.trim();
  if (!title) return;
  if (songByTitle(title)) {
    toast(`The library already has ${title}`, 'error');
    return;
  }
  const file = chosenFile;
  const bytes = await file.arrayBuffer();
  const handle = c.uploadSong(bytes, title, $('up-artist').value.trim(), $('up-tag1').value.trim(),
    $('up-tag2').value.trim(), (sent, total) => {
      if (app.upload && app.upload.handle === handle) {
        app.upload.sent = sent;
        app.upload.total = total;
        renderUploadStatus();
      }
    });
  app.upload = { title, sent: 0, total: bytes.byteLength, handle, state: 'sending' };
  renderUploadStatus();
  let reply;
  try {
    reply = await handle.done;
  } catch (e) {
    reply = null;
  }
  const u = app.upload;
  if (!u || u.handle !== handle) return;
  app.upload = null;
  if (reply && reply.ok) {
    toast(`Uploaded ${title}${reply.final.args[0] ? ` as #${reply.final.args[0]}` : ''}`);
    chosenFile = null;
    $('file').value = '';
    $('drop-text').textContent = 'Drop an MP3 here or choose a file';
    for (const f of ['up-title', 'up-artist', 'up-tag1', 'up-tag2']) $(f).value = '';
    // Keep our own copy for playing, under the hash the server computed (this page may have no digest of its own).
    refreshLibrary().then(async () => {
      const hash = songByTitle(title)?.hash || await contentHash(bytes);
      if (hash) await store.put(hash, title, bytes);
    });
    u.state = 'done';
  } else if (reply && reply.code === 'ABORTED') {
    toast(`Upload of ${title} cancelled`);
  } else if (reply) {
    toast(`Upload of ${title} failed: ${reply.final.text}`, 'error');
  }
  lastUpload = { title, outcome: reply ? (reply.ok ? 'stored' : reply.code) : 'lost', sent: u.sent, total: u.total };
  renderUploadStatus();
}

let lastUpload = null;

function renderUploadStatus() {
  const u = app.upload;
  $('upload-status').hidden = !u;
  $('upload-button').disabled = !!u || !chosenFile;
  if (!u) return;
  $('upload-progress').max = u.total || 1;
  $('upload-progress').value = u.sent;
  const pct = u.total ? Math.floor((u.sent / u.total) * 100) : 0;
  $('upload-text').textContent = `${u.title}: ${formatBytes(u.sent)} of ${formatBytes(u.total)} (${pct}%)`;
}

// ---- controls and forms ----

function setupControls() {
  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    join($('join-lobby').value.trim(), $('join-user').value.trim(), $('join-password').value);
  });
  try { $('join-user').value = localStorage.getItem('thing.username') || ''; } catch (e) { /* private mode */ }
  $('cancel-wait').addEventListener('click', cancelWaiting);
  $('leave').addEventListener('click', leave);
  $('back-home').addEventListener('click', () => {
    if (app.rejoining) {
      // Giving up on coming back: the place is left to run out.
      app.rejoining = false;
      forgetToken();
      const c = app.conn;
      app.conn = null;
      if (c) c.quit();
    }
    startHome();
  });
  $('enable-sound').addEventListener('click', async () => {
    const ok = await player.enableSound();
    if (!ok) toast('The browser did not allow sound', 'error');
    renderNow();
  });
  $('btn-pause').addEventListener('click', () => command(player.event && player.event.kind === 'pause' ? 'RESUME' : 'PAUSE'));
  $('btn-skip').addEventListener('click', () => command('SKIP'));
  $('btn-stop').addEventListener('click', () => command('STOP'));
  $('autoplay').addEventListener('change', (e) => command('AUTOPLAY', e.target.checked ? 'ON' : 'OFF').then(refreshAutoplay));
  const bar = $('pos-bar');
  bar.addEventListener('input', () => { seeking = true; renderPosition(); });
  bar.addEventListener('change', () => {
    seeking = false;
    const song = player.event ? songByTitle(player.event.title) : null;
    if (!song) return;
    const ms = Math.min(song.durationMs - 1, Math.round((bar.value / 1000) * song.durationMs));
    command('SEEK', String(Math.max(0, ms)));
  });
  $('filter').addEventListener('input', (e) => { app.filter = e.target.value; renderLibrary(); });
  for (const th of $('library').tHead.rows[0].cells) {
    if (!th.dataset.sort) continue;
    th.tabIndex = 0;
    const sort = () => {
      const k = th.dataset.sort;
      app.sort = { key: k, dir: app.sort.key === k ? -app.sort.dir : 1 };
      renderLibrary();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter') sort(); });
  }
  $('request-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = $('req-title').value.trim();
    const artist = $('req-artist').value.trim();
    if (!title) return;
    const r = artist ? await command('REQUEST', title, artist) : await command('REQUEST', title);
    if (r && r.ok) {
      $('req-title').value = '';
      $('req-artist').value = '';
      if (isStaff()) refreshWanted();
    }
  });
  $('file').addEventListener('change', (e) => chooseFile(e.target.files[0]));
  const drop = $('drop');
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over'); });
  }
  for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = [...(e.dataTransfer?.files || [])].find((f) => /\.mp3$/i.test(f.name) || f.type === 'audio/mpeg');
    if (file) chooseFile(file); else toast('Drop an MP3 file', 'error');
  });
  // A file dropped anywhere else must not make the browser navigate away from the party.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('upload-form').addEventListener('submit', (e) => { e.preventDefault(); startUpload(); });
  $('upload-cancel').addEventListener('click', () => { if (app.upload) app.upload.handle.cancel(); });
}

// ---- listening together: chat, skip votes, queue editing, renames (RFC 6.32-6.37) ----

const CHAT_KEEP = 500; // lines the page keeps; the server's history is its last 50
const CHAT_MAX = 500; // characters in a SAY (RFC 6.32)

function chatAtBottom() {
  const log = $('chat-log');
  return log.scrollHeight - log.scrollTop - log.clientHeight < 24;
}

function chatLine(m) {
  return el('li', { class: m.mine ? 'mine' : null, 'data-user': m.user },
    el('span', { class: 'chat-who', text: m.user }),
    el('span', { class: 'chat-text', text: m.text })); // text, never markup: chat is anyone's input
}

/** EVENT SAID: a chat line, live or from the history a new member is sent. */
function onSaid(user, text) {
  const m = { user, text, mine: user.toLowerCase() === (app.username || '').toLowerCase() };
  app.chat.push(m);
  const log = $('chat-log');
  const follow = chatAtBottom() || m.mine;
  log.append(chatLine(m));
  while (app.chat.length > CHAT_KEEP) {
    app.chat.shift();
    log.firstElementChild.remove();
  }
  $('chat-empty').hidden = true;
  // Follow the conversation unless the person scrolled up to read.
  if (follow) log.scrollTop = log.scrollHeight;
}

async function say() {
  const c = app.conn;
  const input = $('chat-input');
  const text = input.value.trim();
  if (!c || c.state !== 'joined' || !text) return;
  $('chat-error').textContent = '';
  let r;
  try {
    // SAY's text is the free rest of the line, not a token (RFC 6.32): sent as typed, not quoted.
    r = await c.sendLine(`SAY ${text.replace(/[\u0000-\u001F\u007F]/g, ' ')}`, { verb: 'SAY', args: [] });
  } catch (e) {
    return;
  }
  if (r.ok) {
    if (input.value.trim() === text) input.value = '';
    renderChatCount();
  } else {
    $('chat-error').textContent = r.final.text; // the rate limit says how long to wait: shown where one types
  }
}

function renderChatCount() {
  const n = $('chat-input').value.length;
  $('chat-count').textContent = `${n} / ${CHAT_MAX}`;
  $('chat-count').classList.toggle('full', n >= CHAT_MAX);
}

/** EVENT VOTES: the skip votes for the song playing and how many skip it. */
function onVotes(title, votes, needed) {
  app.votes = { title, votes, needed };
  renderVotes();
}

/** A PLAY or STOP: votes belong to one song (RFC 6.33), so another song starts from none. */
function songChanged(title) {
  const key = title == null ? null : titleKey(title);
  if (app.votes && titleKey(app.votes.title) !== key) app.votes = null;
  if (app.voted && app.voted !== key) app.voted = null;
  renderVotes();
}

async function voteSkip() {
  const ev = player.event;
  if (!ev) return;
  const key = titleKey(ev.title);
  const r = await command('VOTE', 'SKIP');
  if (r && (r.ok || r.code === 'DUPLICATE')) app.voted = key;
  renderVotes();
}

function renderVotes() {
  const ev = player.event;
  const inLobby = app.view === 'lobby' && myRole() != null;
  $('votes-box').hidden = !inLobby || !ev;
  const key = ev ? titleKey(ev.title) : null;
  const v = app.votes && key && titleKey(app.votes.title) === key ? app.votes : null;
  $('vote-count').textContent = v ? `${v.votes} of ${v.needed} votes to skip` : '';
  $('btn-vote').disabled = !ev || app.voted === key;
  $('btn-vote').textContent = app.voted === key && ev ? 'You voted to skip' : 'Vote to skip';
  $('voteshare-form').hidden = !isStaff();
  const box = $('voteshare');
  if (app.voteShare != null && document.activeElement !== box) box.value = app.voteShare;
}

async function refreshVoteShare() {
  if (!isStaff()) return;
  const r = await quietly('VOTESHARE');
  if (!r || !r.ok) return;
  const line = r.data.find((d) => d.verb === 'VOTESHARE');
  if (line) app.voteShare = Number(line.args[0]);
  renderVotes();
}

async function setVoteShare() {
  const value = $('voteshare').value.trim();
  const r = await command('VOTESHARE', value);
  if (r && r.ok) $('voteshare').blur();
  await refreshVoteShare();
}

async function unqueueEntry(q) {
  // Positions move as songs play: take it from the queue as last pushed, by the entry's title and requester.
  const now = app.queue.find((x) => x.n === q.n && titleKey(x.title) === titleKey(q.title) && x.by === q.by)
    || app.queue.find((x) => titleKey(x.title) === titleKey(q.title) && x.by === q.by);
  if (!now) { renderQueue(); return; }
  await command('UNQUEUE', String(now.n)); // the change comes back pushed
}

async function moveEntry(q, to) {
  const now = app.queue.find((x) => x.n === q.n && titleKey(x.title) === titleKey(q.title) && x.by === q.by);
  if (!now) { renderQueue(); return; }
  const target = Math.max(1, Math.min(app.queue.length, to - q.n + now.n));
  if (target !== now.n) await command('MOVE', String(now.n), String(target));
}

/** EVENT RENAMED: the same song under a new title; the library, the queue and the song playing follow it. */
function onRenamed(from, to) {
  const oldKey = titleKey(from);
  const song = app.library.get(oldKey);
  if (song) {
    app.library.delete(oldKey);
    song.title = to;
    app.library.set(titleKey(to), song);
  }
  for (const q of app.queue) if (titleKey(q.title) === oldKey) q.title = to;
  if (player.event && titleKey(player.event.title) === oldKey) player.event.title = to;
  if (player.song && titleKey(player.song.title) === oldKey) player.song.title = to;
  if (app.votes && titleKey(app.votes.title) === oldKey) app.votes.title = to;
  if (app.voted === oldKey) app.voted = titleKey(to);
  const pending = app.fetching.get(oldKey);
  if (pending) { app.fetching.delete(oldKey); app.fetching.set(titleKey(to), pending); }
  renderLibrary();
  renderQueue();
  renderNow();
  if (!song) refreshLibrary();
}

// ---- accounts and bans (RFC 4.6, 4.9, 4.10, 6.38-6.44); the page keeps no password ----

function banButton(name) {
  const b = el('button', { type: 'button', class: 'small-btn danger', text: 'Ban', title: `Ban ${name} from this lobby`, 'data-act': 'ban' });
  b.addEventListener('click', async () => {
    if (!b.dataset.armed) {
      b.dataset.armed = '1';
      b.textContent = 'Ban?';
      setTimeout(() => { delete b.dataset.armed; b.textContent = 'Ban'; }, 3000);
      return;
    }
    const r = await command('BAN', name);
    if (r && r.ok && app.bans) refreshBans();
  });
  return b;
}

async function refreshBans() {
  const r = await command('BANS');
  if (!r || !r.ok) return;
  app.bans = r.data.filter((d) => d.verb === 'BAN').map((d) => {
    const [user, scope, by] = d.args;
    return { user, scope, by };
  });
  renderBans();
}

function renderBans() {
  const bans = app.bans || [];
  renderList($('bans'), JSON.stringify(bans), () => bans.map((b) => el('li', { 'data-user': b.user },
    el('span', { class: 'who' }, el('strong', { text: b.user }),
      el('span', { class: 'muted small', text: ` · ${b.scope} · by ${b.by}` })),
    el('span', { class: 'actions' }, el('button', { type: 'button', class: 'small-btn', text: 'Unban', 'data-act': 'unban',
      onclick: () => command('UNBAN', b.user).then((r) => { if (r && r.ok) refreshBans(); }) })))));
  $('bans-refresh').textContent = app.bans ? 'Refresh' : 'Show bans';
}

function openAccount() {
  renderAccount();
  $('account-panel').hidden = false;
  $('account-button').setAttribute('aria-expanded', 'true');
}

function closeAccount() {
  $('account-panel').hidden = true;
  $('account-button').setAttribute('aria-expanded', 'false');
  for (const id of ['reg-password', 'reg-password2', 'pw-old', 'pw-new']) $(id).value = '';
  $('account-error').textContent = '';
}

function renderAccount() {
  $('account-standing').textContent = app.registered ? `${app.username} is registered on this server.`
    : `${app.username} is a guest name: anyone may use it while you are away.`;
  $('register-form').hidden = app.registered;
  $('password-form').hidden = !app.registered;
  $('claim-box').hidden = !isAdmin();
}

/** Runs an account command; its ERROR shows in the panel (and as a toast), its fields are cleared either way. */
async function accountCommand(fields, verb, ...args) {
  $('account-error').textContent = '';
  const r = await command(verb, ...args);
  for (const id of fields) $(id).value = '';
  if (r && !r.ok) $('account-error').textContent = r.final.text;
  return r;
}

function setupTogether() {
  $('chat-form').addEventListener('submit', (e) => { e.preventDefault(); say(); });
  $('chat-input').addEventListener('input', () => { renderChatCount(); $('chat-error').textContent = ''; });
  $('btn-vote').addEventListener('click', voteSkip);
  $('voteshare-form').addEventListener('submit', (e) => { e.preventDefault(); setVoteShare(); });
  $('bans-refresh').addEventListener('click', refreshBans);
  $('account-button').addEventListener('click', () => ($('account-panel').hidden ? openAccount() : closeAccount()));
  $('account-close').addEventListener('click', closeAccount);
  $('register-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if ($('reg-password').value !== $('reg-password2').value) {
      $('account-error').textContent = 'The two passwords differ: type them again.';
      $('reg-password').value = '';
      $('reg-password2').value = '';
      $('reg-password').focus();
      return;
    }
    const r = await accountCommand(['reg-password', 'reg-password2'], 'REGISTER', $('reg-password').value);
    if (r && r.ok) {
      app.registered = true;
      const kept = keptToken();
      if (kept) keepToken(kept.lobby, kept.username, kept.token); // its place is an account's now
      renderAccount();
    }
  });
  $('password-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await accountCommand(['pw-old', 'pw-new'], 'PASSWORD', $('pw-old').value, $('pw-new').value);
  });
  $('btn-claim').addEventListener('click', () => accountCommand([], 'CLAIM'));
  $('btn-unclaim').addEventListener('click', () => accountCommand([], 'UNCLAIM'));
  // A new attempt with another name or lobby is a fresh start for the password field's hint.
  $('join-user').addEventListener('input', () => $('join-password-box').classList.remove('asked'));
}

/** What the lobby view needs of these features when the role or view changes. */
function renderTogether() {
  renderVotes();
  if (isStaff() && app.voteShare == null) refreshVoteShare();
  $('bans-box').hidden = !isStaff();
  if (!$('account-panel').hidden) renderAccount();
}

function stopTogether() {
  app.chat = [];
  app.votes = null;
  app.voted = null;
  app.voteShare = null;
  app.bans = null;
  app.registered = false;
  $('chat-log').replaceChildren();
  $('chat-empty').hidden = false;
  $('chat-error').textContent = '';
  $('bans').replaceChildren();
  // The next lobby's lists are drawn afresh, whatever renderList remembers of this one's.
  for (const list of [$('members'), $('pending'), $('queue'), $('wanted'), $('bans'), $('library').tBodies[0]]) {
    delete list.dataset.key;
  }
  closeAccount();
}

// ---- the board (RFC 6.45, 10.9): two tracks, their seats and grids, the loop played on the song's clock ----

const BOARD_COLUMN_MS = 40;
const board = newBoard();
const boardSound = new BoardSound(player, clock, board);
/** Rows sent with BOARD SET and not yet answered, shown meanwhile: "track:row" -> cells. */
const boardPending = new Map();
/** The note being dragged out: {track, row, start, end, base}. */
let boardDrag = null;
let boardColumn = -1;

function me() {
  return (app.username || '').toLowerCase();
}

/** The seat (1 or 2) this page's member holds, or 0. */
function mySeat() {
  const i = board.tracks.findIndex((t) => t.player && t.player.toLowerCase() === me());
  return i + 1;
}

const isPlayerOf = (track) => mySeat() === track;

function onBoardEvent(args) {
  const what = applyBoardEvent(board, args);
  if (!what) return;
  // A new shape redraws the grids: a drag under way there has lost its cells (and its pointer capture).
  if (what === 'size') boardDrag = null;
  if (what === 'start' || what === 'stop' || what === 'tempo' || what === 'size' || what === 'mix') boardSound.update();
  renderBoard();
}

function stopBoard() {
  Object.assign(board, newBoard());
  boardPending.clear();
  boardDrag = null;
  boardColumn = -1;
  boardSound.update();
  $('board-error').textContent = '';
  $('board-tracks').replaceChildren();
  delete $('board-viewers').dataset.key;
}

/** Sends a BOARD subcommand; its ERROR is shown beside the grid (where the person is looking), not as a toast. */
async function boardCommand(...args) {
  const c = app.conn;
  if (!c || c.state !== 'joined') return null;
  $('board-error').textContent = '';
  let r;
  try {
    r = await c.send('BOARD', ...args);
  } catch (e) {
    return null;
  }
  if (!r.ok) $('board-error').textContent = `BOARD ${args[0]}: ${r.final.text}`;
  return r;
}

/** One edit of the grid: the whole row in one BOARD SET; shown at once, then as the server has it. */
async function sendRow(track, row, cells) {
  const key = `${track}:${row}`;
  boardPending.set(key, cells);
  renderBoardCells();
  const r = await boardCommand('SET', String(track), String(row), cells);
  if (boardPending.get(key) === cells) boardPending.delete(key);
  if (r && !r.ok) $('board-error').textContent = `Track ${track} row ${row}: ${r.final.text}`;
  renderBoardCells(); // the server's row (EVENT BOARD ROW came before the OKAY); after an ERROR, the row as it was
  return r;
}

/** The row as the grid shows it: an edit on its way, else the server's. */
function shownRow(track, row) {
  const pending = boardPending.get(`${track}:${row}`);
  if (pending != null && pending.length === board.columns) return pending;
  if (boardDrag && boardDrag.track === track && boardDrag.row === row) {
    return placeNote(boardDrag.base, boardDrag.start, boardDrag.end);
  }
  return board.tracks[track - 1].rows[row - 1] || '';
}

function instrumentSelect(track, t, allowed) {
  const names = INSTRUMENTS.includes(t.instrument) ? INSTRUMENTS : [...INSTRUMENTS, t.instrument];
  const select = el('select', { class: 'track-instrument', 'aria-label': `Instrument of track ${track}`,
    'data-track': track, disabled: !allowed, title: allowed ? null : 'staff or this track\'s player choose it' },
  ...names.map((n) => el('option', { value: n, text: n, selected: n === t.instrument })));
  select.addEventListener('change', async () => {
    const r = await boardCommand('INSTRUMENT', String(track), select.value);
    if (!r || !r.ok) select.value = board.tracks[track - 1].instrument;
  });
  return select;
}

function trackHead(track, t) {
  const seat = mySeat();
  const staff = isStaff();
  const mine = seat === track;
  const head = el('div', { class: 'track-head' },
    el('strong', { text: `Track ${track}` }),
    instrumentSelect(track, t, staff || mine));
  const who = el('span', { class: 'track-player', 'data-player': t.player || '' });
  if (t.player) {
    who.append(el('span', { class: 'seat-name', text: t.player }), mine ? el('span', { class: 'muted', text: ' (you)' }) : null);
  } else {
    who.append(el('span', { class: 'muted', text: 'seat free' }));
  }
  head.append(who);
  if (mine) {
    head.append(el('button', { type: 'button', class: 'small-btn', text: 'Leave seat', 'data-act': 'leave-seat',
      onclick: () => boardCommand('LEAVE') }));
  } else if (!t.player && !seat) {
    head.append(el('button', { type: 'button', class: 'small-btn primary', text: 'Take seat', 'data-act': 'take-seat',
      onclick: () => boardCommand('JOIN', String(track)) }));
  }
  return head;
}

function gridCells(track, t, editable) {
  const grid = el('div', { class: `board-grid${editable ? ' editable' : ''}`, role: 'grid', 'data-track': track,
    'aria-label': `Track ${track} (${t.instrument})${editable ? '' : ', read-only'}`,
    style: `grid-template-columns: max-content repeat(${board.columns}, var(--cell))` });
  for (let r = 1; r <= board.rows; r++) {
    grid.append(el('div', { class: 'row-label muted', text: rowLabel(t.instrument, r, board.rows) }));
    for (let c = 0; c < board.columns; c++) {
      grid.append(el('div', { class: 'cell', role: 'gridcell', 'data-row': r, 'data-col': c,
        'aria-label': `row ${r} beat ${c + 1}` }));
    }
  }
  if (editable) wireGrid(grid, track);
  return grid;
}

/** Click an empty cell: a one-beat note; drag along the row: a longer one; click a note: it goes. */
function wireGrid(grid, track) {
  const cellAt = (e) => {
    const target = document.elementFromPoint(e.clientX, e.clientY);
    const cell = target && target.closest('.cell');
    return cell && grid.contains(cell) ? cell : null;
  };
  grid.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !isPlayerOf(track)) return;
    const cell = e.target.closest('.cell');
    if (!cell) return;
    e.preventDefault();
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.col);
    const cells = shownRow(track, row);
    if (noteAt(cells, col)) {
      sendRow(track, row, removeNote(cells, col));
      return;
    }
    boardDrag = { track, row, start: col, end: col, base: cells, pointer: e.pointerId };
    try { grid.setPointerCapture(e.pointerId); } catch (err) { /* the pointer is already gone */ }
    renderBoardCells();
  });
  grid.addEventListener('pointermove', (e) => {
    const d = boardDrag;
    if (!d || d.track !== track || d.pointer !== e.pointerId) return;
    const cell = cellAt(e);
    if (!cell) return;
    const end = reach(d.base, d.start, Number(cell.dataset.col));
    if (end !== d.end) {
      d.end = end;
      renderBoardCells();
    }
  });
  const finish = (e, keep) => {
    const d = boardDrag;
    if (!d || d.track !== track || d.pointer !== e.pointerId) return;
    boardDrag = null;
    // The row may have changed meanwhile (staff cleared it): the note goes onto the row as it is now, over rests only.
    const now = shownRow(track, d.row);
    if (keep && now.length === d.base.length && now[d.start] === '0') {
      sendRow(track, d.row, placeNote(now, d.start, reach(now, d.start, d.end)));
    } else {
      renderBoardCells();
    }
  };
  grid.addEventListener('pointerup', (e) => finish(e, true));
  grid.addEventListener('pointercancel', (e) => finish(e, false));
}

function renderBoard() {
  const seat = mySeat();
  const staff = isStaff();
  const control = staff || seat > 0;
  const tracks = $('board-tracks');
  const key = JSON.stringify([me(), staff, seat, board.columns, board.rows,
    board.tracks.map((t) => [t.instrument, t.player])]);
  renderList(tracks, key, () => board.tracks.map((t, i) => {
    const track = i + 1;
    const editable = seat === track;
    return el('div', { class: 'board-track', 'data-track': track },
      trackHead(track, t),
      el('div', { class: 'board-scroll' }, gridCells(track, t, editable)));
  }));
  renderBoardCells();
  const playing = board.startUs != null;
  $('board-play').hidden = !control;
  $('board-play').textContent = playing ? 'Stop' : 'Start';
  $('board-tempo-form').hidden = !control;
  $('board-size-form').hidden = !control;
  for (const [id, v] of [['board-bpm', board.bpm], ['board-columns', board.columns], ['board-rows', board.rows]]) {
    if (document.activeElement !== $(id)) $(id).value = v;
  }
  $('board-mix-box').hidden = !staff;
  if (document.activeElement !== $('board-mix')) $('board-mix').value = board.mix;
  $('board-clear').hidden = !control;
  $('board-clear').textContent = staff ? 'Clear both tracks' : 'Clear my track';
  renderBoardStatus();
  const seated = new Set(board.tracks.filter((t) => t.player).map((t) => t.player.toLowerCase()));
  const viewers = [...app.members.values()].filter((m) => !seated.has(m.name.toLowerCase())).map((m) => m.name);
  renderList($('board-viewers'), JSON.stringify(viewers), () => viewers.map((name) => el('li', { 'data-user': name,
    text: name })));
}

/** The line under the board's title: stopped or playing, tempo, size, mix, and whether sound must be enabled. */
function renderBoardStatus() {
  const playing = board.startUs != null;
  const sound = boardSound.state === 'needs-sound' ? ' · enable sound to hear it' : '';
  const text = `${playing ? 'playing' : 'stopped'} · ${board.bpm} bpm · ${board.columns}×${board.rows}`
    + (board.mix === 'INSTEAD' ? ' · instead of the song' : '') + (playing ? sound : '');
  if ($('board-status').textContent !== text) $('board-status').textContent = text;
  $('board-card').dataset.state = playing ? boardSound.state : 'stopped';
}

/** Writes each cell's state in place: a ROW change touches only the classes of its cells. */
function renderBoardCells() {
  for (const grid of $('board-tracks').querySelectorAll('.board-grid')) {
    const track = Number(grid.dataset.track);
    const rows = [];
    for (let r = 1; r <= board.rows; r++) rows.push(shownRow(track, r));
    const pendingRows = new Set([...boardPending.keys()].filter((k) => k.startsWith(`${track}:`)).map((k) => Number(k.split(':')[1])));
    if (boardDrag && boardDrag.track === track) pendingRows.add(boardDrag.row);
    for (const cell of grid.children) {
      if (!cell.classList.contains('cell')) continue;
      const r = Number(cell.dataset.row);
      const c = Number(cell.dataset.col);
      const cells = rows[r - 1] || '';
      const v = cells[c] || '0';
      const next = cells[c + 1] || '0';
      const cls = v === '0' ? 'rest' : `note${v === '1' ? ' start' : ''}${next === '1' || next === '0' ? ' end' : ''}`;
      const want = `cell ${cls}${pendingRows.has(r) ? ' pending' : ''}${c === boardColumn ? ' now' : ''}`;
      if (cell.className !== want) cell.className = want;
      if (cell.dataset.v !== v) cell.dataset.v = v;
    }
  }
}

/** The column heard now, highlighted (only the cells whose state changes are touched). */
function renderBoardColumn() {
  renderBoardStatus();
  const col = boardSound.playingColumn();
  if (col === boardColumn) return;
  boardColumn = col;
  renderBoardCells();
}

function setupBoard() {
  $('board-play').addEventListener('click', () => boardCommand(board.startUs != null ? 'STOP' : 'START'));
  $('board-tempo-form').addEventListener('submit', (e) => {
    e.preventDefault();
    boardCommand('TEMPO', $('board-bpm').value.trim()).then(() => { $('board-bpm').blur(); renderBoard(); });
  });
  $('board-size-form').addEventListener('submit', (e) => {
    e.preventDefault();
    boardCommand('SIZE', $('board-columns').value.trim(), $('board-rows').value.trim())
      .then(() => { document.activeElement.blur(); renderBoard(); });
  });
  $('board-mix').addEventListener('change', (e) => boardCommand('MIX', e.target.value).then(() => {
    e.target.blur();
    renderBoard();
  }));
  $('board-clear').addEventListener('click', () => boardCommand('CLEAR'));
}

// ---- diagnostics for people debugging and for the browser tests ----

window.thing = {
  get view() { return app.view; },
  get connection() { return app.conn ? app.conn.state : null; },
  get socketUrl() { return app.conn && app.conn.ws ? app.conn.ws.url : null; },
  get lobby() { return app.view === 'lobby' ? app.lobby : null; },
  get username() { return app.username; },
  get role() { return myRole(); },
  get members() { return [...app.members.values()].map((m) => ({ ...m })); },
  get waiting() { return [...app.waiting]; },
  get library() { return [...app.library.values()].map((s) => ({ ...s })); },
  get queue() { return app.queue.map((q) => ({ ...q })); },
  /** How many queue changes the server pushed (EVENT QUEUE lines) since the page was loaded. */
  get queuePushes() { return app.queuePushes; },
  get wanted() { return app.wanted.map((w) => ({ ...w })); },
  get clock() { return clock.diagnostics(); },
  get playback() { return player.diagnostics(); },
  get upload() { return app.upload ? { title: app.upload.title, sent: app.upload.sent, total: app.upload.total } : null; },
  get lastUpload() { return lastUpload; },
  get notices() { return notices.map((n) => ({ ...n })); },
  get chat() { return app.chat.map((m) => ({ ...m })); },
  get votes() { return app.votes ? { ...app.votes } : null; },
  get voteShare() { return app.voteShare; },
  get bans() { return app.bans ? app.bans.map((b) => ({ ...b })) : null; },
  get registered() { return app.registered; },
  /** Join connections this page opened: a login retried after a refusal reuses its connection. */
  get connections() { return app.connections; },
  /** The server instant (µs) at which the audio at context time t is heard, by the current clock and output map. */
  ctxTimeToServerUs: (t) => player.ctxTimeToServerUs(t),
  serverNowUs: () => clock.serverNowUs(),
  cache: () => store.summary(),
  get rejoining() { return !!app.rejoining; },
  /** Closes the WebSocket as a dropped network would end it (no QUIT): the page then comes back by itself. */
  dropConnection: () => { if (app.conn && app.conn.ws) app.conn.ws.close(4000, 'dropped'); },
  /** The board as the page knows it, the edits on their way, and its sound: scheduled onsets in context time. */
  get board() {
    return {
      columns: board.columns, rows: board.rows, bpm: board.bpm, mix: board.mix, startUs: board.startUs,
      playing: board.startUs != null,
      tracks: board.tracks.map((t) => ({ instrument: t.instrument, player: t.player, rows: [...t.rows] })),
      seat: mySeat(),
      pending: Object.fromEntries(boardPending),
      error: $('board-error').textContent,
      column: boardColumn,
      ...boardSound.diagnostics(),
    };
  },
  /** Sends a row exactly as an edit of the grid does (for debugging: what the server says shows beside the grid). */
  boardSet: (track, row, cells) => sendRow(track, row, cells).then((r) => (r ? r.final.text || r.final.verb : null)),
};

setupControls();
setupTogether();
setupBoard();
// A reload in the lobby is a drop too: come back to the place this tab held, if the server gave a token.
const keptOnLoad = keptToken();
if (keptOnLoad) comeBack(keptOnLoad);
else startHome();
