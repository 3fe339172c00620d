// The THING protocol over the server's WebSocket (/ws): one text message is one line (no line end), and the bytes
// of a chunk are one binary message right after its "CHUNK <n>" text message. This module knows the wire (tokens,
// quoting, reply correlation, transfers, PING answers, the handshake) and nothing of the page.

/** Splits a line into tokens, undoing quotes and escapes (RFC section 2.5). Throws on a malformed line. */
export function splitTokens(line) {
  const tokens = [];
  let i = 0;
  const n = line.length;
  const blank = (c) => c === ' ' || c === '\t';
  for (;;) {
    while (i < n && blank(line[i])) i++;
    if (i >= n) return tokens;
    if (line[i] === '"') {
      let token = '';
      const openedAt = i;
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i];
        if (c === '"') { closed = true; i++; break; }
        if (c === '\\') {
          if (i + 1 >= n) break;
          const next = line[i + 1];
          if (next !== '"' && next !== '\\') throw new Error(`bad escape \\${next} at column ${i + 1}`);
          token += next;
          i += 2;
          continue;
        }
        token += c;
        i++;
      }
      if (!closed) throw new Error(`unterminated quote starting at column ${openedAt + 1}`);
      if (i < n && !blank(line[i])) throw new Error(`a closing quote must be followed by a space (column ${i + 1})`);
      tokens.push(token);
    } else {
      const start = i;
      while (i < n && !blank(line[i])) {
        if (line[i] === '"') throw new Error(`a quote may only start a token (column ${i + 1})`);
        i++;
      }
      tokens.push(line.slice(start, i));
    }
  }
}

// White space that forces quotes (RFC 2.6): space separators but the no-break ones, line and paragraph separators.
const NEEDS_QUOTES = /[\s"\\]/u;
const NO_BREAK = /^[\u00A0\u2007\u202F]$/u;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/gu;

function needsQuotes(token) {
  if (token === '') return true;
  for (const c of token) {
    if (NEEDS_QUOTES.test(c) && !NO_BREAK.test(c)) return true;
  }
  return false;
}

/** A token as it must be written: bare when it can be, quoted and escaped otherwise; controls become spaces. */
export function quote(token) {
  const t = String(token).replace(CONTROLS, ' ');
  if (!needsQuotes(t)) return t;
  return '"' + t.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/** One line from a verb and its arguments. */
export function lineOf(verb, ...args) {
  return [verb, ...args.map(quote)].join(' ');
}

/** The text after the first token and the blanks after it (free text of NOTIFY, ERROR, HELP). */
export function restAfterVerb(line, words = 1) {
  let i = 0;
  const n = line.length;
  const blank = (c) => c === ' ' || c === '\t';
  for (let w = 0; w < words; w++) {
    while (i < n && blank(line[i])) i++;
    while (i < n && !blank(line[i])) i++;
  }
  while (i < n && blank(line[i])) i++;
  return line.slice(i);
}

/** The form in which titles and names are compared (close to the server's key: case and Unicode form ignored). */
export function titleKey(title) {
  return title.normalize('NFC').toUpperCase().toLowerCase().normalize('NFKC').replace(/\p{Cf}/gu, '');
}

/** A parsed server line: {verb, args, text, raw}. `text` is the free text of NOTIFY, ERROR and HELP lines. */
export function parseServerLine(raw) {
  const first = raw.trimStart().split(/[ \t]/, 1)[0] || '';
  const verb = first.toUpperCase();
  if (verb === 'NOTIFY' || verb === 'HELP') {
    return { verb, args: [], text: restAfterVerb(raw), raw };
  }
  if (verb === 'ERROR') {
    const rest = restAfterVerb(raw);
    const code = rest.split(/[ \t]/, 1)[0] || 'INTERNAL';
    return { verb, code, args: [code], text: restAfterVerb(raw, 2), raw };
  }
  const tokens = splitTokens(raw);
  return { verb: (tokens[0] || '').toUpperCase(), args: tokens.slice(1), text: '', raw };
}

/** The reply to one command: its data lines (parsed) and its final line. */
export class Reply {
  constructor(command, data, final) {
    this.command = command;
    this.data = data;
    this.final = final;
  }

  get ok() {
    return this.final.verb === 'OKAY';
  }

  get code() {
    return this.ok ? null : this.final.code || 'INTERNAL';
  }

  /** "CODE text" for an ERROR, for people. */
  get message() {
    return this.ok ? 'OKAY' : `${this.final.code} ${this.final.text}`;
  }
}

/** Thrown (as a rejection) for commands that could not be answered because the connection is gone. */
export class ConnectionClosed extends Error {}

const CHUNK_BYTES = 1000;
/** The upload keeps at most this much handed to the socket and not yet sent, so progress is real. */
const UPLOAD_BUFFERED_BYTES = 64 * 1024;

/**
 * One connection to the server. Events (CustomEvent, details in `detail`): `notify` {text}, `update` {title, artist,
 * tag1, tag2}, `play` {title, startUs, positionMs}, `pause` {title, positionMs}, `stop`, `event` {kind, args},
 * `transfer` {title, artist, tag1, tag2, bytes} (a pushed song), `pending` {lobby}, `closed` {reason}.
 */
export class ThingConnection extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.state = 'connecting'; // connecting, unjoined, joining, pending, joined, closed
    this.pending = [];
    this.held = [];
    this.upload = null;
    this.incoming = null;
    this.expectChunk = 0;
    this.lastNotice = null;
    this.lastNoticeAt = 0;
    this.joinName = null;
    this.timeSamples = null; // (t0, serverUs, t1) => void, performance.now() ms
    this.greeted = new Promise((resolve, reject) => {
      this.resolveGreeting = resolve;
      this.rejectGreeting = reject;
    });
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (m) => this.onMessage(m.data);
    ws.onclose = (e) => this.onClosed(e);
    ws.onerror = () => { /* onclose follows with the reason */ };
  }

  get open() {
    return this.state !== 'closed';
  }

  // ---- writing ----

  write(data) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Writes now, or after this connection's own upload has written its OKAY/ABORT (a transfer is atomic). */
  emit(fn) {
    if (this.upload) this.held.push(fn); else fn();
  }

  /** Sends a command line (verb and arguments, quoted as needed); resolves with its Reply. */
  send(verb, ...args) {
    return this.sendLine(lineOf(verb, ...args), { verb: verb.toUpperCase(), args });
  }

  sendLine(line, command = { verb: line.split(' ', 1)[0].toUpperCase(), args: [] }) {
    if (this.state === 'closed') return Promise.reject(new ConnectionClosed(this.closeReason || 'not connected'));
    return new Promise((resolve, reject) => {
      const p = { command, data: [], resolve, reject, writtenAt: 0 };
      this.pending.push(p);
      this.emit(() => {
        p.writtenAt = performance.now();
        this.write(line);
      });
    });
  }

  /**
   * Turns on EVENTS SONGS PING (once per connection) and sends the join line: with the password as its third token
   * when one is given (RFC 3.4), or, with `token`, the line that comes back to a kept place (`<lobby> <username>
   * TOKEN <token>`, RFC 3.15). Resolves {outcome: 'joined'|'taken'|'error', text}. After an 'error' the connection
   * stays open and unjoined (a login refusal, RFC 4.6): join may be called again on it. The password is written to
   * the socket and kept nowhere.
   */
  join(lobby, username, password = '', token = null) {
    this.joinName = username;
    return this.greeted.then(() => {
      this.state = 'joining';
      if (!this.capsSent) {
        this.capsSent = true;
        this.sendLine('CAP EVENTS SONGS PING').then((r) => {
          if (!r.ok) console.warn('THING: capabilities refused:', r.message);
        }, () => {});
      }
      const line = token ? lineOf(lobby, username, 'TOKEN', token)
        : password ? lineOf(lobby, username, password) : lineOf(lobby, username);
      return this.sendLine(line, { verb: 'JOIN', args: [lobby, username] }).then((r) => {
        if (r.final.verb === 'TAKEN') return { outcome: 'taken', text: `the name ${username} is taken in ${lobby}` };
        if (r.ok) {
          this.state = 'joined';
          return { outcome: 'joined', text: `joined ${lobby}` };
        }
        this.state = 'unjoined';
        return { outcome: 'error', code: r.code, text: r.final.text };
      }, (e) => ({ outcome: 'closed', text: e.message }));
    });
  }

  /** Fetches a song with GET: resolves with its bytes (an ArrayBuffer), rejects with the ERROR or on ABORT. */
  get(title) {
    return this.send('GET', title).then((r) => {
      if (!r.ok) throw new Error(r.message);
      return r.bytes;
    });
  }

  /**
   * Uploads a file (an ArrayBuffer) as SEND + CHUNKs + OKAY, paced by what the socket has sent. `onProgress(sent,
   * total)` follows the bytes that left the page. Returns {done: Promise<Reply>, cancel()}; cancel sends ABORT.
   */
  uploadSong(bytes, title, artist = '', tag1 = '', tag2 = '', onProgress = () => {}) {
    if (this.state !== 'joined') return { done: Promise.reject(new Error('not in a lobby')), cancel() {} };
    if (this.upload) return { done: Promise.reject(new Error('an upload is already under way')), cancel() {} };
    const fields = [title, artist, tag1, tag2];
    while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    const line = lineOf('SEND', ...fields);
    let p;
    const done = new Promise((resolve, reject) => {
      p = { command: { verb: 'SEND', args: fields }, data: [], resolve, reject, writtenAt: performance.now() };
    });
    this.pending.push(p);
    // Lines held for after the upload go after everything already queued.
    this.write(line);
    const u = { p, bytes: new Uint8Array(bytes), offset: 0, onProgress, ended: false };
    this.upload = u;
    const pump = () => {
      if (this.upload !== u) return;
      while (u.offset < u.bytes.length && this.ws.bufferedAmount < UPLOAD_BUFFERED_BYTES) {
        const n = Math.min(CHUNK_BYTES, u.bytes.length - u.offset);
        this.write(`CHUNK ${n}`);
        this.write(u.bytes.subarray(u.offset, u.offset + n));
        u.offset += n;
      }
      const sent = Math.max(0, u.offset - this.ws.bufferedAmount);
      try { u.onProgress(sent, u.bytes.length); } catch (e) { console.warn(e); }
      if (u.offset >= u.bytes.length) {
        this.write('OKAY');
        this.endUpload(u);
        this.drainProgress(u);
        return;
      }
      setTimeout(pump, 4);
    };
    setTimeout(pump, 0);
    return {
      done,
      cancel: () => {
        if (this.upload === u) {
          this.write('ABORT');
          this.endUpload(u);
        }
      },
    };
  }

  /** After the last chunk was handed over, keeps reporting until the socket has sent it all. */
  drainProgress(u) {
    const tick = () => {
      const left = this.ws.readyState === WebSocket.OPEN ? this.ws.bufferedAmount : 0;
      try { u.onProgress(u.bytes.length - Math.min(left, u.bytes.length), u.bytes.length); } catch (e) { /* */ }
      if (left > 0 && this.open) setTimeout(tick, 20);
    };
    tick();
  }

  endUpload(u) {
    if (this.upload !== u) return;
    this.upload = null;
    u.ended = true;
    const writes = this.held;
    this.held = [];
    for (const w of writes) w();
  }

  /** QUIT and close. */
  quit() {
    if (this.state === 'closed') return;
    if (this.upload) {
      this.write('ABORT');
      this.endUpload(this.upload);
    }
    this.sendLine('QUIT').catch(() => {}).finally(() => this.close());
    setTimeout(() => this.close(), 1500);
  }

  close() {
    try { this.ws.close(1000); } catch (e) { /* already closed */ }
  }

  // ---- reading ----

  onMessage(data) {
    if (this.state === 'closed') return;
    if (typeof data !== 'string') {
      const bytes = new Uint8Array(data);
      if (!this.incoming || this.expectChunk === 0) {
        console.warn('THING: binary message outside a chunk ignored');
        return;
      }
      if (bytes.length !== this.expectChunk) console.warn('THING: chunk of', bytes.length, 'bytes, expected', this.expectChunk);
      this.expectChunk = 0;
      this.incoming.parts.push(bytes);
      this.incoming.size += bytes.length;
      return;
    }
    let msg;
    try {
      msg = parseServerLine(data);
    } catch (e) {
      console.warn('THING: unreadable line from the server:', data, e.message);
      return;
    }
    if (this.incoming) {
      if (msg.verb === 'CHUNK') {
        this.expectChunk = parseInt(msg.args[0], 10) || 0;
        return;
      }
      if (msg.verb === 'OKAY' && msg.args.length === 0) { this.finishIncoming(true); return; }
      if (msg.verb === 'ABORT') { this.finishIncoming(false); return; }
      console.warn('THING: a line inside a transfer; the transfer is dropped:', data);
      this.finishIncoming(false);
    }
    if (msg.verb !== 'NOTIFY') this.lastNotice = null;
    if (this.state === 'connecting' && msg.verb === 'NOTIFY' && msg.text.startsWith('THING/1.')) {
      // Anything else first ("server full") is a notice, and the close that follows says why.
      this.state = this.joinName ? 'joining' : 'unjoined';
      this.resolveGreeting(msg.text);
      return;
    }
    if (msg.verb === 'PING') {
      const token = msg.args[0];
      this.emit(() => this.write(token ? `OKAY ${token}` : 'OKAY'));
      return;
    }
    if (this.state === 'joining' || this.state === 'pending') {
      if (this.handshakeLine(msg)) return;
    }
    switch (msg.verb) {
      case 'NOTIFY':
        this.lastNotice = msg.text;
        this.lastNoticeAt = performance.now();
        this.fire('notify', { text: msg.text });
        return;
      case 'UPDATE': {
        const [title, artist = '', tag1 = '', tag2 = ''] = msg.args;
        this.fire('update', { title, artist, tag1, tag2 });
        return;
      }
      case 'PLAY':
        this.fire('play', { title: msg.args[0], startUs: Number(msg.args[1]), positionMs: Number(msg.args[2]) });
        return;
      case 'PAUSE':
        this.fire('pause', { title: msg.args[0], positionMs: Number(msg.args[1]) });
        return;
      case 'STOP':
        this.fire('stop', {});
        return;
      case 'EVENT':
        this.fire('event', { kind: (msg.args[0] || '').toUpperCase(), args: msg.args.slice(1) });
        return;
      case 'SEND':
        this.startIncoming(msg.args);
        return;
      case 'OKAY':
      case 'ERROR':
        this.finalLine(msg);
        return;
      case 'ABORT':
      case 'CHUNK':
        console.warn('THING: transfer line outside a transfer ignored:', data);
        return;
      default:
        this.dataLine(msg);
    }
  }

  /** Lines of the join: our CAP's answer, APPROVAL events, TAKEN. Returns true when the line was used here. */
  handshakeLine(msg) {
    if (msg.verb === 'EVENT' && (msg.args[0] || '').toUpperCase() === 'APPROVAL') {
      const state = (msg.args[2] || '').toUpperCase();
      if (state === 'WAITING') {
        this.state = 'pending';
        this.fire('pending', { lobby: msg.args[1] });
      }
      this.fire('event', { kind: 'APPROVAL', args: msg.args.slice(1) });
      return true;
    }
    if (this.joinName && msg.args.length === 1 && msg.args[0] === 'TAKEN'
        && msg.verb === this.joinName.toUpperCase()) {
      const p = this.pending.find((x) => x.command.verb === 'JOIN');
      if (p) {
        this.pending.splice(this.pending.indexOf(p), 1);
        p.resolve(new Reply(p.command, [], { verb: 'TAKEN', args: [], text: '' }));
      }
      return true;
    }
    return false;
  }

  /**
   * The command a final line or data line answers: the oldest waiting one (not a GET for OKAY and data lines, which
   * a GET's transfer answers). A pending joiner's own join line is answered last, on acceptance (RFC 3.7), so while
   * pending the lines sent meanwhile come first.
   */
  oldest(skipGets) {
    const fits = (p) => !skipGets || p.command.verb !== 'GET';
    if (this.state === 'pending') {
      const other = this.pending.find((p) => p.command.verb !== 'JOIN' && fits(p));
      if (other) return other;
    }
    return this.pending.find(fits);
  }

  dataLine(msg) {
    const p = this.oldest(true);
    if (!p) {
      console.warn('THING: data line with no command pending:', msg.raw);
      return;
    }
    if (msg.verb === 'TIME' && p.command.verb === 'TIME' && this.timeSamples) {
      const t1 = performance.now();
      const serverUs = Number(msg.args[msg.args.length - 1]);
      try { this.timeSamples(p.writtenAt, serverUs, t1); } catch (e) { console.warn(e); }
    }
    p.data.push(msg);
  }

  finalLine(msg) {
    const p = this.oldest(msg.verb === 'OKAY');
    if (!p) {
      if (msg.verb === 'ERROR') this.fire('notify', { text: `server: ${msg.code} ${msg.text}`, error: true });
      return;
    }
    this.pending.splice(this.pending.indexOf(p), 1);
    if (this.upload && this.upload.p === p) {
      // An early ERROR: the server discards the rest of the transfer; end it at once.
      this.write('ABORT');
      this.endUpload(this.upload);
    }
    p.resolve(new Reply(p.command, p.data, msg));
  }

  startIncoming(args) {
    const [title, artist = '', tag1 = '', tag2 = ''] = args;
    const key = titleKey(title);
    const get = this.pending.find((p) => p.command.verb === 'GET' && !p.transferStarted
      && titleKey(String(p.command.args.join(' '))) === key);
    if (get) get.transferStarted = true;
    this.incoming = { title, artist, tag1, tag2, parts: [], size: 0, get };
    this.expectChunk = 0;
    this.fire('transferstart', { title, get: !!get });
  }

  finishIncoming(ok) {
    const inc = this.incoming;
    this.incoming = null;
    this.expectChunk = 0;
    let bytes = null;
    if (ok) {
      const all = new Uint8Array(inc.size);
      let at = 0;
      for (const part of inc.parts) { all.set(part, at); at += part.length; }
      bytes = all.buffer;
    }
    this.fire('transferend', { title: inc.title, ok });
    if (inc.get) {
      this.pending.splice(this.pending.indexOf(inc.get), 1);
      const final = ok ? { verb: 'OKAY', args: [], text: '' }
        : { verb: 'ERROR', code: 'INTERNAL', args: ['INTERNAL'], text: `transfer of ${inc.title} broke off` };
      const r = new Reply(inc.get.command, [], final);
      r.bytes = bytes;
      inc.get.resolve(r);
    } else if (ok) {
      this.fire('transfer', { title: inc.title, artist: inc.artist, tag1: inc.tag1, tag2: inc.tag2, bytes });
    }
  }

  get transferring() {
    return !!this.incoming || !!this.upload;
  }

  onClosed(e) {
    if (this.state === 'closed') return;
    const wasState = this.state;
    this.state = 'closed';
    const recent = this.lastNotice && performance.now() - this.lastNoticeAt < 5000;
    let reason = recent ? this.lastNotice
      : wasState === 'connecting' ? 'cannot reach the server' : 'the connection to the server was lost';
    if (!recent && e && e.reason) reason = e.reason;
    this.closeReason = reason;
    this.rejectGreeting(new ConnectionClosed(reason));
    if (this.incoming) this.finishIncoming(false);
    this.upload = null;
    this.held = [];
    for (const p of this.pending) p.reject(new ConnectionClosed(reason));
    this.pending = [];
    this.fire('closed', { reason, wasState });
  }

  fire(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** The WebSocket address of the server that served this page. */
export function socketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
