// Clock sync, as the terminal client's ClockSync: NTP-style TIME samples, a rolling window, and the mean offset of
// the samples whose round trip is within 0.5 ms of the window's smallest (the minimum-RTT filter).
//
// Times on this side are performance.now() milliseconds (monotonic). A sample: t0 when "TIME" was written, ts the
// server's microseconds, t1 when the TIME line arrived. offset = ts - (t0 + t1) / 2, in the scale
// performance.timeOrigin + performance.now(), which starts at the wall clock and then runs monotonic.

export const WINDOW = 16;
export const MIN_SAMPLES = 3;
const RTT_TOLERANCE_US = 500;

export class ClockSync {
  constructor(window = WINDOW) {
    this.window = window;
    this.samples = [];
    this.offsetUs = null; // server clock minus (timeOrigin + performance.now()), microseconds
    this.bestRttUs = null;
  }

  /** t0 and t1 are performance.now() ms, serverUs the server's answer. */
  add(t0, serverUs, t1) {
    const rttUs = (t1 - t0) * 1000;
    if (!(rttUs >= 0) || !Number.isFinite(serverUs)) return;
    const midUs = (performance.timeOrigin + (t0 + t1) / 2) * 1000;
    this.samples.push({ rttUs, offsetUs: serverUs - midUs });
    while (this.samples.length > this.window) this.samples.shift();
    const min = Math.min(...this.samples.map((s) => s.rttUs));
    const chosen = this.samples.filter((s) => s.rttUs <= min + RTT_TOLERANCE_US);
    this.offsetUs = chosen.reduce((a, s) => a + s.offsetUs, 0) / chosen.length;
    this.bestRttUs = min;
  }

  get ready() {
    return this.samples.length >= MIN_SAMPLES;
  }

  /** The server's clock now, microseconds since the epoch (the wall clock until the first sample). */
  serverNowUs() {
    return this.perfToServerUs(performance.now());
  }

  /** performance.now() ms -> server microseconds. */
  perfToServerUs(perfMs) {
    return (performance.timeOrigin + perfMs) * 1000 + (this.offsetUs ?? 0);
  }

  /** server microseconds -> performance.now() ms. */
  serverUsToPerf(serverUs) {
    return (serverUs - (this.offsetUs ?? 0)) / 1000 - performance.timeOrigin;
  }

  reset() {
    this.samples = [];
    this.offsetUs = null;
    this.bestRttUs = null;
  }

  diagnostics() {
    return {
      offsetMs: this.offsetUs == null ? null : this.offsetUs / 1000,
      bestRttMs: this.bestRttUs == null ? null : this.bestRttUs / 1000,
      samples: this.samples.length,
      ready: this.ready,
    };
  }
}

/**
 * Takes the samples: a burst of `burst` exchanges `gapMs` apart once joined, then one every `periodMs`. No sample
 * while a transfer is under way in either direction (its reply would wait behind the chunks).
 */
export class ClockSampler {
  constructor(connection, clock, { burst = 8, gapMs = 150, periodMs = 10000 } = {}) {
    this.connection = connection;
    this.clock = clock;
    this.burst = burst;
    this.gapMs = gapMs;
    this.periodMs = periodMs;
    this.counter = 0;
    this.timers = [];
    connection.timeSamples = (t0, ts, t1) => clock.add(t0, ts, t1);
  }

  start() {
    for (let i = 0; i < this.burst; i++) this.timers.push(setTimeout(() => this.sample(), i * this.gapMs));
    this.timers.push(setInterval(() => this.sample(), this.periodMs));
  }

  sample() {
    const c = this.connection;
    if (!c.open || c.state !== 'joined') return;
    if (c.transferring) {
      // Try again shortly: the answer would measure the transfer, not the path.
      this.timers.push(setTimeout(() => this.sample(), 500));
      return;
    }
    c.send('TIME', `w${++this.counter}`).catch(() => {});
  }

  stop() {
    for (const t of this.timers) { clearTimeout(t); clearInterval(t); }
    this.timers = [];
  }
}
