// Synchronised playback with Web Audio. A PLAY event names a server instant and a position; the clock sync turns
// the instant into performance.now() time, and the AudioContext's output timestamp turns that into the context time
// at which the sample must leave the speaker. The whole song is decoded once (decodeAudioData) and started with
// AudioBufferSourceNode.start(when, offset); a late start (joining while a song plays, or a song that arrived late)
// starts at the position the server's clock implies. While it plays, the position is compared with the server's
// clock: small drift is followed by a playback rate within 500 ppm, more than 25 ms by starting again in place.

import { lameInfo, DECODER_DELAY } from './mp3.js';

/** How far ahead of the context's current time a source is started at the earliest. */
const START_MARGIN_S = 0.04;
const MAX_RATE_PPM = 500;
const JUMP_S = 0.025;
const CHECK_MS = 500;
/** How long a context that just started running is left to settle before a source is scheduled on it. */
const SETTLE_MS = 300;
/** How long a start waits for the clock sync's first samples at most. */
const CLOCK_WAIT_MS = 3000;
/** A better clock estimate that moves the mapping by more than this restarts the song in place. */
const CLOCK_STEP_US = 2000;
/** How often, and over how long, the output timestamp is sampled for the context <-> performance.now() map. */
const OUTPUT_SAMPLE_MS = 100;
const OUTPUT_WINDOW_MS = 3000;

export class Player extends EventTarget {
  /**
   * @param clock a ClockSync
   * @param loadSong async (title) => ({bytes, hash}) : the song's file, from the cache or fetched
   * @param hashOf (title) => the song's content hash from LIST, or null
   */
  constructor(clock, loadSong, hashOf = () => null) {
    super();
    this.clock = clock;
    this.loadSong = loadSong;
    this.hashOf = hashOf;
    const Ctx = globalThis.AudioContext || globalThis.webkitAudioContext;
    this.ctx = Ctx ? new Ctx({ latencyHint: 'interactive' }) : null;
    if (this.ctx) {
      this.gain = this.ctx.createGain();
      this.gain.connect(this.ctx.destination);
      this.ctx.onstatechange = () => this.onContextState();
      this.runningSince = this.ctx.state === 'running' ? performance.now() : null;
    }
    this.state = 'stopped'; // stopped, loading, starting, playing, paused, needs-sound, ended, error
    this.event = null; // {kind: 'play'|'pause', title, startUs, positionMs}
    this.generation = 0;
    this.decoded = new Map(); // hash -> {buffer, trimS}, the last few
    this.song = null;
    this.source = null;
    this.scheduled = null;
    this.error = null;
    this.corrections = { jumps: 0, clock: 0, rate: 1 };
    this.checker = setInterval(() => this.checkDrift(), CHECK_MS);
    // The output timestamp moves in steps of the sound server's latency reports (8 ms through Chromium's
    // PulseAudio output): one read at scheduling time can be that far off, so the map uses the median offset.
    this.outputOffsets = []; // {at, off}: performanceTime - contextTime * 1000, ms
    this.outputSampler = setInterval(() => this.sampleOutput(), OUTPUT_SAMPLE_MS);
  }

  /** One output timestamp's offset between performance.now() and context time, kept for the last few seconds. */
  sampleOutput() {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running' || !ctx.getOutputTimestamp) return null;
    const ts = ctx.getOutputTimestamp();
    if (!(ts && ts.performanceTime > 0 && ts.contextTime > 0)) return null;
    const now = performance.now();
    const off = ts.performanceTime - ts.contextTime * 1000;
    this.outputOffsets.push({ at: now, off });
    while (this.outputOffsets.length && this.outputOffsets[0].at < now - OUTPUT_WINDOW_MS) this.outputOffsets.shift();
    return off;
  }

  get soundEnabled() {
    return !!this.ctx && this.ctx.state === 'running';
  }

  /** The browser lets a page make sound only after a gesture: the "Enable sound" button calls this. */
  async enableSound() {
    if (!this.ctx) return false;
    try {
      await this.ctx.resume();
    } catch (e) {
      console.warn('THING: cannot start audio:', e);
    }
    return this.soundEnabled;
  }

  onContextState() {
    this.outputOffsets = []; // a suspended context's time stood still: its old offsets no longer hold
    this.runningSince = this.soundEnabled ? (this.runningSince ?? performance.now()) : null;
    if (this.soundEnabled && this.state === 'needs-sound' && this.event?.kind === 'play' && this.song) {
      this.schedule();
    }
    this.changed();
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  onPlay(ev) {
    this.event = { kind: 'play', ...ev };
    this.prepare(ev.title);
  }

  onPause(ev) {
    this.event = { kind: 'pause', ...ev };
    this.stopSource();
    this.state = 'paused';
    this.changed();
  }

  onStop() {
    this.event = null;
    this.generation++;
    this.stopSource();
    this.state = 'stopped';
    this.changed();
  }

  async prepare(title) {
    const gen = ++this.generation;
    const ev = this.event;
    if (this.song && this.song.title.toLowerCase() === title.toLowerCase()
        && (!this.song.hash || this.song.hash === this.hashOf(title))) {
      // The same song again (RESUME, SEEK): it is decoded already.
      this.schedule();
      return;
    }
    if (!this.song || this.song.title !== title) {
      this.stopSource();
      this.state = 'loading';
      this.changed();
    }
    const timing = { event: performance.now() };
    this.timing = timing;
    try {
      const known = this.hashOf(title);
      let song = known ? this.decoded.get(known) : null;
      timing.from = 'decoded';
      if (!song) {
        const { bytes, hash, from } = await this.loadSong(title);
        timing.loadedMs = performance.now() - timing.event;
        timing.from = from;
        if (gen !== this.generation) return;
        song = (hash && this.decoded.get(hash)) || await this.decode(bytes, title, hash);
        timing.decodedMs = performance.now() - timing.event;
        this.keepDecoded(hash, song);
      }
      if (gen !== this.generation || this.event !== ev) return;
      this.song = song;
      this.error = null;
      this.schedule();
    } catch (e) {
      if (gen !== this.generation) return;
      console.warn('THING: cannot play', title, e);
      this.error = `cannot play ${title}: ${e.message || e}`;
      this.state = 'error';
      this.changed();
    }
  }

  keepDecoded(hash, song) {
    if (!hash) return;
    this.decoded.delete(hash);
    this.decoded.set(hash, song);
    while (this.decoded.size > 3) this.decoded.delete(this.decoded.keys().next().value);
  }

  /** Decodes a song ahead of its PLAY (a pushed upload), so that its start needs no decoding time. */
  async predecode(bytes, hash, title) {
    if (!this.ctx || !hash || this.decoded.has(hash)) return;
    try {
      this.keepDecoded(hash, await this.decode(bytes, title, hash));
    } catch (e) {
      console.warn('THING: cannot decode', title, e);
    }
  }

  async decode(bytes, title, hash = null) {
    if (!this.ctx) throw new Error('this browser has no Web Audio');
    const buffer = await this.ctx.decodeAudioData(bytes.slice(0));
    return { title, buffer, trimS: this.decoderTrim(bytes, buffer), hash };
  }

  /**
   * Position 0 is the first encoded sample (the server subtracts the LAME encoder delay and padding from the
   * duration, and the terminal client drops delay + 529 decoded samples). A browser's decoder may or may not have
   * dropped them already: the decoded length tells, when the file's Xing/LAME header gives frames, delay and
   * padding. Returns the seconds to skip at the start of the decoded buffer.
   */
  decoderTrim(bytes, buffer) {
    const info = lameInfo(bytes);
    this.lame = info;
    if (!info || !info.frames || info.delay == null) return 0;
    const rate = info.sampleRate;
    const full = (info.frames * info.samplesPerFrame) / rate;
    const startTrimmed = full - (info.delay + DECODER_DELAY) / rate;
    const bothTrimmed = (info.frames * info.samplesPerFrame - info.delay - info.padding) / rate;
    const d = buffer.duration;
    const nearest = [[full, 'none'], [startTrimmed, 'start'], [bothTrimmed, 'both']]
      .sort((a, b) => Math.abs(a[0] - d) - Math.abs(b[0] - d))[0][1];
    this.decoderTrimmed = nearest;
    return nearest === 'none' ? (info.delay + DECODER_DELAY) / rate : 0;
  }

  /** performance.now() <-> context time, through the output timestamp (falling back to the latencies). */
  outputMap() {
    const ctx = this.ctx;
    if (this.sampleOutput() != null) {
      const offs = this.outputOffsets.map((s) => s.off).sort((a, b) => a - b);
      const n = offs.length;
      const off = n % 2 ? offs[(n - 1) / 2] : (offs[n / 2 - 1] + offs[n / 2]) / 2;
      return {
        via: 'getOutputTimestamp',
        samples: n,
        perfToCtx: (p) => (p - off) / 1000,
        ctxToPerf: (t) => off + t * 1000,
      };
    }
    // Without a timestamp: what is rendered now is heard after the context's and the device's latencies.
    const latency = (ctx.baseLatency || 0) + (ctx.outputLatency || 0);
    const now = performance.now();
    const ct = ctx.currentTime;
    return {
      via: 'outputLatency',
      perfToCtx: (p) => ct + (p - now) / 1000 - latency,
      ctxToPerf: (t) => now + (t - ct + latency) * 1000,
    };
  }

  /** The server instant (microseconds) at which what the context plays at context time `t` is heard. */
  ctxTimeToServerUs(t) {
    return this.clock.perfToServerUs(this.outputMap().ctxToPerf(t));
  }

  /** Where the song is by the server's clock at server time `serverUs`, in seconds. */
  impliedPosition(serverUs) {
    const ev = this.event;
    return ev.positionMs / 1000 + (serverUs - ev.startUs) / 1e6;
  }

  schedule() {
    const ev = this.event;
    const song = this.song;
    if (!ev || ev.kind !== 'play' || !song) return;
    this.stopSource();
    if (!this.soundEnabled) {
      this.state = 'needs-sound';
      this.changed();
      return;
    }
    const ctx = this.ctx;
    // Right after the context starts, its output timestamp still describes the start-up, not the steady
    // stream: give it a moment (the start is late then anyway, and lands at the implied position).
    const settling = SETTLE_MS - (performance.now() - (this.runningSince ?? 0));
    if (settling > 0) {
      this.state = 'starting';
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => { if (this.event === ev && this.song === song) this.schedule(); }, settling);
      this.changed();
      return;
    }
    // A start is only as good as the clock: until the first few TIME samples are in (a late joiner gets its PLAY
    // at once, and its first samples may wait behind the song's transfer), wait for them.
    if (!this.clock.ready && performance.now() - (this.timing?.event ?? 0) < CLOCK_WAIT_MS) {
      this.state = 'starting';
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => { if (this.event === ev && this.song === song) this.schedule(); }, 100);
      this.changed();
      return;
    }
    const map = this.outputMap();
    let when = map.perfToCtx(this.clock.serverUsToPerf(ev.startUs));
    let position = ev.positionMs / 1000;
    let late = false;
    if (when < ctx.currentTime + START_MARGIN_S) {
      // Late: start a moment from now at the position the server's clock implies for that moment.
      when = ctx.currentTime + START_MARGIN_S;
      position = this.impliedPosition(this.clock.perfToServerUs(map.ctxToPerf(when)));
      late = true;
    }
    const length = song.buffer.duration - song.trimS;
    if (position >= length) {
      this.state = 'ended';
      this.scheduled = null;
      this.changed();
      return;
    }
    if (this.timing) this.timing.scheduledMs = performance.now() - this.timing.event;
    const src = ctx.createBufferSource();
    src.buffer = song.buffer;
    src.connect(this.gain);
    src.start(when, position + song.trimS);
    src.onended = () => {
      if (this.source === src) {
        this.source = null;
        this.state = 'ended';
        this.changed();
      }
    };
    this.source = src;
    const serverUs = this.clock.perfToServerUs(map.ctxToPerf(when));
    this.scheduled = {
      title: song.title,
      ctxTime: when,
      positionS: position,
      late,
      via: map.via,
      // The server instant the start was mapped to, and the instant position `positionMs` corresponds to: equal
      // to the PLAY's start-us when the clock and the output map agree.
      serverUs,
      impliedStartUs: serverUs - (position - ev.positionMs / 1000) * 1e6,
      eventStartUs: ev.startUs,
      eventPositionMs: ev.positionMs,
      trimS: song.trimS,
      clockOffsetUs: this.clock.offsetUs,
      clockSamples: this.clock.samples.length,
    };
    this.anchor = { ctxTime: when, position, rate: 1 };
    this.corrections.rate = 1;
    this.state = 'playing';
    this.changed();
  }

  /** The song's position now, in seconds, as the audio plays it (null when nothing plays). */
  playedPosition() {
    if (!this.source || !this.anchor) return null;
    const t = this.ctx.currentTime;
    if (t < this.anchor.ctxTime) return this.anchor.position;
    return this.anchor.position + (t - this.anchor.ctxTime) * this.anchor.rate;
  }

  /** Follows the server's clock: a rate within 500 ppm for small errors, a new start past 25 ms. */
  checkDrift() {
    if (this.state !== 'playing' || !this.source || !this.anchor || !this.soundEnabled) return;
    const moved = Math.abs((this.clock.offsetUs ?? 0) - (this.scheduled?.clockOffsetUs ?? 0));
    if (moved > CLOCK_STEP_US) {
      // The clock sync learnt better (its first samples were disturbed): start again where the lobby is.
      this.corrections.clock = (this.corrections.clock || 0) + 1;
      this.schedule();
      return;
    }
    const map = this.outputMap();
    const t = this.ctx.currentTime;
    if (t < this.anchor.ctxTime + 0.5) return;
    const heardUs = this.clock.perfToServerUs(map.ctxToPerf(t));
    const expected = this.impliedPosition(heardUs);
    const actual = this.playedPosition();
    const error = actual - expected; // > 0: we are ahead
    this.drift = { errorMs: error * 1000, at: t };
    if (Math.abs(error) > JUMP_S) {
      this.corrections.jumps++;
      this.schedule();
      return;
    }
    // Close the error over about ten seconds, within the rate bound.
    const ppm = Math.max(-MAX_RATE_PPM, Math.min(MAX_RATE_PPM, (-error / 10) * 1e6));
    const rate = 1 + ppm / 1e6;
    const at = t + 0.01;
    this.anchor = { ctxTime: at, position: this.anchor.position + (at - this.anchor.ctxTime) * this.anchor.rate, rate };
    this.source.playbackRate.setValueAtTime(rate, at);
    this.corrections.rate = rate;
  }

  stopSource() {
    if (this.source) {
      const s = this.source;
      this.source = null;
      try { s.stop(); } catch (e) { /* not started */ }
      s.disconnect();
    }
    this.anchor = null;
  }

  /** Where the lobby's song is now by the server's clock, in seconds (for the position bar). */
  lobbyPosition() {
    const ev = this.event;
    if (!ev) return null;
    if (ev.kind === 'pause') return ev.positionMs / 1000;
    return Math.max(ev.positionMs / 1000, this.impliedPosition(this.clock.serverNowUs()));
  }

  diagnostics() {
    const ctx = this.ctx;
    return {
      state: this.state,
      error: this.error,
      event: this.event,
      contextState: ctx ? ctx.state : 'none',
      contextTime: ctx ? ctx.currentTime : null,
      sampleRate: ctx ? ctx.sampleRate : null,
      baseLatency: ctx ? ctx.baseLatency ?? null : null,
      outputLatency: ctx ? ctx.outputLatency ?? null : null,
      scheduled: this.scheduled,
      decoderTrimmed: this.decoderTrimmed ?? null,
      timing: this.timing ?? null,
      lame: this.lame ?? null,
      drift: this.drift ?? null,
      corrections: { ...this.corrections },
      playedPosition: this.playedPosition(),
    };
  }
}
