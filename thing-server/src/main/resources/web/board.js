// The lobby's board (RFC 6.45, 10.9): its model as the EVENT BOARD lines describe it, the row edits the grid makes,
// and its sound. The loop is played on the song player's AudioContext and mapped to it exactly as a PLAY is: a
// server instant -> performance.now() through the clock sync -> context time through the output timestamp. Notes
// are synthesized (oscillators and filtered noise with gain envelopes), so the board needs no sample files.

export const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** The longest note one run can hold ("z"); a longer drag is written as several notes, as the RFC says. */
export const MAX_DURATION = 35;
export const MICROS_PER_MINUTE = 60_000_000;
/** The named instruments in the RFC's order, then the drum kit (Section 10.9). */
export const INSTRUMENTS = ['piano', 'epiano', 'organ', 'guitar', 'bass', 'strings', 'choir', 'brass', 'sax',
  'flute', 'lead', 'pad', 'drums'];
const PROGRAMS = { piano: 0, epiano: 4, organ: 16, guitar: 24, bass: 33, strings: 48, choir: 52, brass: 61, sax: 65,
  flute: 73, lead: 80, pad: 88 };
/** Row r (1 at the top) of the drum track plays DRUM_KEYS[r - 1] (BoardPitch). */
export const DRUM_KEYS = [36, 38, 42, 46, 45, 48, 49, 51, 39, 37, 56, 54, 64, 63, 70, 75];
const DRUM_NAMES = { 36: 'kick', 38: 'snare', 42: 'closed hat', 46: 'open hat', 45: 'low tom', 48: 'high tom',
  49: 'crash', 51: 'ride', 39: 'clap', 37: 'rim', 56: 'cowbell', 54: 'tambourine', 64: 'low conga', 63: 'high conga',
  70: 'maracas', 75: 'claves' };
const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

// ---- the model ----

/** A new board, as RFC 10.9 describes it: 16 x 8 at 120 bpm, stopped, OVER, piano and drums, both seats free. */
export function newBoard() {
  const board = { columns: 16, rows: 8, bpm: 120, mix: 'OVER', startUs: null, tracks: [] };
  for (const instrument of ['piano', 'drums']) {
    board.tracks.push({ instrument, player: null, rows: Array.from({ length: 8 }, () => rests(16)) });
  }
  return board;
}

export function rests(columns) {
  return '0'.repeat(columns);
}

/** Applies one EVENT BOARD line's arguments (after "BOARD"); returns what changed: 'size', 'row', 'track', ... */
export function applyBoardEvent(board, args) {
  const [what, ...rest] = args;
  switch ((what || '').toUpperCase()) {
    case 'SIZE': {
      const columns = Number(rest[0]);
      const rows = Number(rest[1]);
      if (!(columns > 0 && rows > 0)) return null;
      board.columns = columns;
      board.rows = rows;
      // As the server does (cut or pad each row, drop or add rows); the ROW lines that follow say the same.
      for (const t of board.tracks) {
        t.rows = Array.from({ length: rows }, (_, i) => (t.rows[i] || '').slice(0, columns).padEnd(columns, '0'));
      }
      return 'size';
    }
    case 'TEMPO':
      board.bpm = Number(rest[0]);
      return 'tempo';
    case 'TRACK': {
      const t = board.tracks[Number(rest[0]) - 1];
      if (!t) return null;
      t.instrument = (rest[1] || '').toLowerCase();
      t.player = rest[2] && rest[2] !== '-' ? rest[2] : null;
      return 'track';
    }
    case 'ROW': {
      const t = board.tracks[Number(rest[0]) - 1];
      const row = Number(rest[1]);
      if (!t || !(row >= 1 && row <= board.rows)) return null;
      t.rows[row - 1] = (rest[2] || '').toLowerCase();
      return 'row';
    }
    case 'MIX':
      board.mix = (rest[0] || '').toUpperCase() === 'INSTEAD' ? 'INSTEAD' : 'OVER';
      return 'mix';
    case 'START':
      board.startUs = Number(rest[0]);
      return 'start';
    case 'STOP':
      board.startUs = null;
      return 'stop';
    default:
      return null; // a kind this page does not know (RFC 5.8: ignored)
  }
}

/** A row's values (0..35), one per column. */
export function values(cells) {
  return [...cells].map((c) => DIGITS.indexOf(c));
}

function cellsOf(vals) {
  return vals.map((v) => DIGITS[v]).join('');
}

/** The note (run 1..d) that covers column `col`, as {start, duration}, or null on a rest. */
export function noteAt(cells, col) {
  const v = values(cells);
  if (!v[col]) return null;
  const start = col - v[col] + 1;
  let duration = v[col];
  while (start + duration < v.length && v[start + duration] === duration + 1) duration++;
  return { start, duration };
}

/** The row without the note that covers `col`. */
export function removeNote(cells, col) {
  const note = noteAt(cells, col);
  if (!note) return cells;
  const v = values(cells);
  for (let i = 0; i < note.duration; i++) v[note.start + i] = 0;
  return cellsOf(v);
}

/**
 * How far a note placed at `start` may reach when dragged to `to`: rightwards only, and only over rests (it stops
 * before the next note). Returns the last column (at least `start`).
 */
export function reach(cells, start, to) {
  const v = values(cells);
  let end = start;
  while (end < to && end + 1 < v.length && v[end + 1] === 0) end++;
  return end;
}

/** The row with a sound from `start` to `end` (inclusive) over rests; past 35 columns it is written as several notes. */
export function placeNote(cells, start, end) {
  const v = values(cells);
  for (let i = start; i <= end; i++) v[i] = ((i - start) % MAX_DURATION) + 1;
  return cellsOf(v);
}

/** The instant (server µs) at which step i * columns + k of the loop begins: the product before the division. */
export function stepStartUs(startUs, bpm, step) {
  return startUs + Math.floor((step * MICROS_PER_MINUTE) / bpm);
}

/** The step sounding at `nowUs`, or -1 before the start (BoardTiming.stepAt). */
export function stepAt(startUs, bpm, nowUs) {
  if (nowUs < startUs) return -1;
  let step = Math.floor(((nowUs - startUs) * bpm) / MICROS_PER_MINUTE);
  while (stepStartUs(startUs, bpm, step + 1) <= nowUs) step++;
  while (step > 0 && stepStartUs(startUs, bpm, step) > nowUs) step--;
  return step;
}

/** The MIDI key row `row` (1 at the top) of a `rows`-row board plays (BoardPitch.key). */
export function keyOf(instrument, row, rows) {
  if (instrument === 'drums') return DRUM_KEYS[row - 1];
  const degree = rows - row;
  return 60 + 12 * Math.floor(degree / MAJOR.length) + MAJOR[degree % MAJOR.length];
}

/** The row's label beside the grid: the pitch ("C4") or the drum ("kick"). */
export function rowLabel(instrument, row, rows) {
  const key = keyOf(instrument, row, rows);
  if (instrument === 'drums') return DRUM_NAMES[key] || String(key);
  return `${NOTE_NAMES[key % 12]}${Math.floor(key / 12) - 1}`;
}

// ---- the sound ----

/** How far ahead of the context's time notes are scheduled, and how often the scheduler looks. */
const LOOKAHEAD_S = 0.35;
const TICK_MS = 40;
/** A note whose onset is closer than this to the context's time is skipped rather than played late. */
const LATE_S = 0.005;
/** The onsets kept for window.thing.board (the tests compare them with the START instant). */
const KEEP_ONSETS = 512;
const CLOCK_WAIT_MS = 3000;
const SETTLE_MS = 300;
const VOICE_GAIN = 0.18;

/** What a program sounds like here: a waveform and an envelope, by its General MIDI family (program / 8). */
const FAMILIES = [
  { wave: 'triangle', attack: 0.004, decay: 0.5, sustain: 0.25, release: 0.12 }, // piano
  { wave: 'sine', attack: 0.003, decay: 0.4, sustain: 0.15, release: 0.1 }, // chromatic percussion
  { wave: 'square', attack: 0.01, decay: 0.05, sustain: 0.7, release: 0.05, level: 0.5 }, // organ
  { wave: 'sawtooth', attack: 0.003, decay: 0.25, sustain: 0.1, release: 0.1, cutoff: 2200 }, // guitar
  { wave: 'sawtooth', attack: 0.005, decay: 0.3, sustain: 0.5, release: 0.08, cutoff: 900, octave: -2 }, // bass
  { wave: 'sawtooth', attack: 0.08, decay: 0.2, sustain: 0.8, release: 0.25, cutoff: 3000, level: 0.6 }, // strings
  { wave: 'sawtooth', attack: 0.06, decay: 0.2, sustain: 0.8, release: 0.2, cutoff: 1800, level: 0.6 }, // ensemble
  { wave: 'sawtooth', attack: 0.03, decay: 0.1, sustain: 0.8, release: 0.08, cutoff: 2500, level: 0.7 }, // brass
  { wave: 'square', attack: 0.02, decay: 0.1, sustain: 0.8, release: 0.08, cutoff: 2000, level: 0.6 }, // reed
  { wave: 'sine', attack: 0.04, decay: 0.1, sustain: 0.8, release: 0.1 }, // pipe
  { wave: 'square', attack: 0.005, decay: 0.1, sustain: 0.7, release: 0.05, level: 0.5 }, // synth lead
  { wave: 'triangle', attack: 0.2, decay: 0.3, sustain: 0.8, release: 0.4 }, // synth pad
];

function programOf(instrument) {
  if (instrument in PROGRAMS) return PROGRAMS[instrument];
  const m = /^gm(\d{1,3})$/.exec(instrument);
  return m ? Math.min(127, Number(m[1])) : 0;
}

function voiceOf(instrument) {
  return FAMILIES[Math.floor(programOf(instrument) / 8) % FAMILIES.length];
}

/** The drum kit, by GM key: a tone with a falling pitch, filtered noise, or both. */
const DRUMS = {
  36: { tone: [150, 45], toneDecay: 0.35 },
  38: { tone: [190, 140], toneDecay: 0.1, noise: 'bandpass', freq: 1800, noiseDecay: 0.18 },
  42: { noise: 'highpass', freq: 7000, noiseDecay: 0.05 },
  46: { noise: 'highpass', freq: 7000, noiseDecay: 0.35 },
  45: { tone: [120, 80], toneDecay: 0.3 },
  48: { tone: [200, 140], toneDecay: 0.25 },
  49: { noise: 'highpass', freq: 5000, noiseDecay: 1.2 },
  51: { noise: 'highpass', freq: 8000, noiseDecay: 0.6, tone: [3200, 3200], toneDecay: 0.3, toneLevel: 0.15 },
  39: { noise: 'bandpass', freq: 1200, noiseDecay: 0.15 },
  37: { tone: [1700, 1700], toneDecay: 0.03, wave: 'square', toneLevel: 0.4 },
  56: { tone: [560, 560], toneDecay: 0.3, wave: 'square', toneLevel: 0.4 },
  54: { noise: 'highpass', freq: 9000, noiseDecay: 0.2 },
  64: { tone: [210, 180], toneDecay: 0.2 },
  63: { tone: [310, 270], toneDecay: 0.18 },
  70: { noise: 'highpass', freq: 6000, noiseDecay: 0.06 },
  75: { tone: [2500, 2500], toneDecay: 0.05 },
};

/**
 * Plays the lobby's board on the song player's context, looping from its START instant until STOP. A scheduler
 * looks ahead every TICK_MS and schedules the columns whose onsets fall within LOOKAHEAD_S, reading the rows only
 * then: a ROW change is heard from the next column not yet scheduled. With mix INSTEAD the song's gain is held at
 * zero while the board plays.
 */
export class BoardSound {
  constructor(player, clock, board) {
    this.player = player;
    this.clock = clock;
    this.board = board;
    this.ctx = player.ctx;
    if (this.ctx) {
      this.out = this.ctx.createGain();
      this.out.gain.value = 1;
      this.out.connect(this.ctx.destination);
    }
    this.state = 'stopped'; // stopped, waiting (for sound, the clock or the context to settle), playing
    this.nextStep = 0;
    this.startUs = null;
    this.onsets = [];
    this.voices = [];
    this.skipped = 0;
    this.timer = null;
  }

  /** The board changed (any EVENT BOARD): a new START or a STOP restarts or ends the loop. */
  update() {
    const b = this.board;
    if (b.startUs == null) {
      this.stop();
    } else if (b.startUs !== this.startUs || b.bpm !== this.bpm || b.columns !== this.columns) {
      this.begin();
    }
    this.applyMix();
  }

  begin() {
    this.silence();
    const b = this.board;
    this.startUs = b.startUs;
    this.bpm = b.bpm;
    this.columns = b.columns;
    this.onsets = [];
    this.skipped = 0;
    this.startedAt = performance.now();
    // A page that learns of a loop under way (it joined late) starts at the step now playing, not at 0.
    this.nextStep = Math.max(0, stepAt(this.startUs, this.bpm, this.clock.serverNowUs()));
    this.state = 'waiting';
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  stop() {
    this.silence();
    this.startUs = null;
    this.state = 'stopped';
    clearInterval(this.timer);
    this.timer = null;
    this.applyMix();
  }

  /** Stops every voice scheduled and not yet over. */
  silence() {
    const now = this.ctx ? this.ctx.currentTime : 0;
    for (const v of this.voices) {
      if (v.end > now) {
        try { v.node.stop(); } catch (e) { /* not started */ }
      }
    }
    this.voices = [];
  }

  /** The song's gain: zero while the board plays with mix INSTEAD (the song's clock runs on underneath). */
  applyMix() {
    const gain = this.player.gain;
    if (!gain || !this.ctx) return;
    const mute = this.board.mix === 'INSTEAD' && this.board.startUs != null;
    const ctx = this.ctx;
    let at = ctx.currentTime;
    if (mute && this.clock.ready) {
      // From the loop's first onset on, not before: the song is heard to the last moment.
      const startCtx = this.toCtx(this.board.startUs);
      if (startCtx > at) at = startCtx;
    }
    gain.gain.cancelScheduledValues(ctx.currentTime);
    gain.gain.setValueAtTime(gain.gain.value, ctx.currentTime);
    gain.gain.setValueAtTime(mute ? 0 : 1, at);
    this.muted = mute;
  }

  get songMuted() {
    return !!this.muted;
  }

  /** A server instant (µs) as context time, as the song player maps a PLAY's start. */
  toCtx(serverUs) {
    return this.player.outputMap().perfToCtx(this.clock.serverUsToPerf(serverUs));
  }

  tick() {
    const ctx = this.ctx;
    if (this.startUs == null || !ctx) return;
    if (!this.player.soundEnabled) { this.state = 'needs-sound'; this.catchUp(); return; }
    const settling = SETTLE_MS - (performance.now() - (this.player.runningSince ?? 0));
    const clockWait = !this.clock.ready && performance.now() - this.startedAt < CLOCK_WAIT_MS;
    if (settling > 0 || clockWait) { this.state = 'waiting'; this.catchUp(); return; }
    this.state = 'playing';
    this.markHeard();
    const map = this.player.outputMap();
    const toCtx = (us) => map.perfToCtx(this.clock.serverUsToPerf(us));
    const horizon = ctx.currentTime + LOOKAHEAD_S;
    for (;;) {
      const step = this.nextStep;
      const onsetUs = stepStartUs(this.startUs, this.bpm, step);
      const when = toCtx(onsetUs);
      if (when > horizon) break;
      this.nextStep++;
      if (when < ctx.currentTime + LATE_S) { this.skipped++; continue; }
      this.playColumn(step, onsetUs, when, toCtx);
    }
  }

  /**
   * Each onset that has sounded since the last tick is given the server instant at which the page's clock mapping,
   * as it stands now, says it was heard (heardUs). The mapping is refined while the loop plays (the clock's offset,
   * the output's latency), so an onset is judged by the mapping of the moment it sounded, not of when a test asks:
   * a note is scheduled at most LOOKAHEAD_S before it sounds, with the mapping of that moment.
   */
  markHeard() {
    const now = this.ctx.currentTime;
    for (let i = this.onsets.length - 1; i >= 0; i--) {
      const o = this.onsets[i];
      if (o.heardUs != null) break;
      if (o.ctxTime <= now) o.heardUs = this.player.ctxTimeToServerUs(o.ctxTime);
    }
  }

  /** While nothing can be scheduled, the loop's place moves on: start again at the step playing now. */
  catchUp() {
    const now = stepAt(this.startUs, this.bpm, this.clock.serverNowUs());
    if (now >= this.nextStep) this.nextStep = now + 1;
  }

  playColumn(step, onsetUs, when, toCtx) {
    const b = this.board;
    const column = step % b.columns;
    b.tracks.forEach((t, ti) => {
      t.rows.forEach((cells, ri) => {
        if (cells[column] !== '1') return;
        const note = noteAt(cells, column);
        const endUs = stepStartUs(this.startUs, this.bpm, step + note.duration);
        const length = Math.max(0.02, toCtx(endUs) - when);
        const key = keyOf(t.instrument, ri + 1, b.rows);
        if (t.instrument === 'drums') this.drum(key, when);
        else this.tone(t.instrument, key, when, length);
        this.onsets.push({ step, column, track: ti + 1, row: ri + 1, key, duration: note.duration, ctxTime: when, onsetUs });
      });
    });
    while (this.onsets.length > KEEP_ONSETS) this.onsets.shift();
    this.voices = this.voices.filter((v) => v.end > this.ctx.currentTime);
  }

  keep(node, end) {
    this.voices.push({ node, end });
  }

  tone(instrument, key, when, length) {
    const ctx = this.ctx;
    const v = voiceOf(instrument);
    const freq = 440 * 2 ** ((key + 12 * (v.octave || 0) - 69) / 12);
    const level = VOICE_GAIN * (100 / 127) * (v.level ?? 1);
    const osc = ctx.createOscillator();
    osc.type = v.wave;
    osc.frequency.value = freq;
    const env = ctx.createGain();
    const g = env.gain;
    const attackEnd = when + Math.min(v.attack, length);
    const releaseAt = when + length;
    g.setValueAtTime(0, when);
    g.linearRampToValueAtTime(level, attackEnd);
    g.setTargetAtTime(level * v.sustain, attackEnd, v.decay / 3);
    g.setTargetAtTime(0, releaseAt, v.release / 3);
    let last = osc;
    if (v.cutoff) {
      const filter = ctx.createBiquadFilter();
      filter.type = 'lowpass';
      filter.frequency.value = v.cutoff;
      osc.connect(filter);
      last = filter;
    } else {
      last = osc;
    }
    last.connect(env);
    env.connect(this.out);
    const end = releaseAt + v.release * 2;
    osc.start(when);
    osc.stop(end);
    this.keep(osc, end);
  }

  drum(key, when) {
    const ctx = this.ctx;
    const d = DRUMS[key] || DRUMS[38];
    const level = VOICE_GAIN * 1.6 * (100 / 127);
    if (d.tone) {
      const osc = ctx.createOscillator();
      osc.type = d.wave || 'sine';
      osc.frequency.setValueAtTime(d.tone[0], when);
      if (d.tone[1] !== d.tone[0]) osc.frequency.exponentialRampToValueAtTime(d.tone[1], when + d.toneDecay);
      const env = ctx.createGain();
      env.gain.setValueAtTime(level * (d.toneLevel ?? 1), when);
      env.gain.exponentialRampToValueAtTime(0.0001, when + d.toneDecay);
      osc.connect(env);
      env.connect(this.out);
      osc.start(when);
      osc.stop(when + d.toneDecay + 0.02);
      this.keep(osc, when + d.toneDecay + 0.02);
    }
    if (d.noise) {
      const src = ctx.createBufferSource();
      src.buffer = this.noiseBuffer();
      const filter = ctx.createBiquadFilter();
      filter.type = d.noise;
      filter.frequency.value = d.freq;
      const env = ctx.createGain();
      env.gain.setValueAtTime(level * 0.7, when);
      env.gain.exponentialRampToValueAtTime(0.0001, when + d.noiseDecay);
      src.connect(filter);
      filter.connect(env);
      env.connect(this.out);
      src.start(when);
      src.stop(when + d.noiseDecay + 0.02);
      this.keep(src, when + d.noiseDecay + 0.02);
    }
  }

  /** A second of white noise, made once. */
  noiseBuffer() {
    if (!this.noise) {
      const rate = this.ctx.sampleRate;
      this.noise = this.ctx.createBuffer(1, rate, rate);
      const data = this.noise.getChannelData(0);
      for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
    }
    return this.noise;
  }

  /** The column heard now by the server's clock (for the grid's highlight), or -1. */
  playingColumn() {
    const b = this.board;
    if (b.startUs == null) return -1;
    const step = stepAt(b.startUs, b.bpm, this.clock.serverNowUs());
    return step < 0 ? -1 : step % b.columns;
  }

  diagnostics() {
    return {
      state: this.state,
      startUs: this.startUs,
      nextStep: this.nextStep,
      skipped: this.skipped,
      songMuted: this.songMuted,
      songGain: this.player.gain ? this.player.gain.gain.value : null,
      voices: this.voices.length,
      onsets: this.onsets.map((o) => ({ ...o })),
    };
  }
}
