// The page's song cache: files kept in IndexedDB (which works on a plain http:// party address, unlike Cache
// Storage), keyed by their content hash, the least recently played dropped past a total size. Falls back to memory
// when IndexedDB is not available (a private window, say).

const DB = 'thing';
const STORE = 'songs';
export const MAX_BYTES = 512 * 1024 * 1024;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export class SongStore {
  constructor(maxBytes = MAX_BYTES) {
    this.maxBytes = maxBytes;
    this.memory = new Map();
    this.db = this.openDb().catch((e) => {
      console.warn('THING: no IndexedDB, songs are kept in memory only:', e && e.message);
      return null;
    });
  }

  openDb() {
    if (!globalThis.indexedDB) return Promise.reject(new Error('indexedDB missing'));
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      const os = r.result.createObjectStore(STORE, { keyPath: 'hash' });
      os.createIndex('played', 'played');
    };
    return request(r);
  }

  /** The bytes of the song with this hash, or null; marks it played. */
  async get(hash) {
    if (!hash) return null;
    const db = await this.db;
    if (!db) return this.memory.get(hash)?.bytes ?? null;
    const tx = db.transaction(STORE, 'readwrite');
    const os = tx.objectStore(STORE);
    const rec = await request(os.get(hash));
    if (!rec) return null;
    rec.played = Date.now();
    os.put(rec);
    return rec.bytes;
  }

  async has(hash) {
    if (!hash) return false;
    const db = await this.db;
    if (!db) return this.memory.has(hash);
    const tx = db.transaction(STORE, 'readonly');
    return (await request(tx.objectStore(STORE).count(hash))) > 0;
  }

  async put(hash, title, bytes) {
    if (!hash) return;
    const rec = { hash, title, bytes, size: bytes.byteLength, played: Date.now() };
    const db = await this.db;
    if (!db) {
      this.memory.set(hash, rec);
      this.evictMemory();
      return;
    }
    try {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(rec);
      await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
      await this.evict();
    } catch (e) {
      console.warn('THING: could not cache', title, e && e.message);
      this.memory.set(hash, rec);
      this.evictMemory();
    }
  }

  /** Drops the least recently played songs until the rest fit in maxBytes. */
  async evict() {
    const db = await this.db;
    if (!db) return;
    const tx = db.transaction(STORE, 'readwrite');
    const index = tx.objectStore(STORE).index('played');
    const all = await request(index.getAll());
    let total = all.reduce((a, r) => a + r.size, 0);
    for (const r of all) { // oldest played first
      if (total <= this.maxBytes) break;
      tx.objectStore(STORE).delete(r.hash);
      total -= r.size;
    }
  }

  evictMemory() {
    let total = [...this.memory.values()].reduce((a, r) => a + r.size, 0);
    for (const [k, r] of [...this.memory.entries()].sort((a, b) => a[1].played - b[1].played)) {
      if (total <= this.maxBytes) break;
      this.memory.delete(k);
      total -= r.size;
    }
  }

  /** How many songs and bytes are kept (for diagnostics). */
  async summary() {
    const db = await this.db;
    if (!db) return { songs: this.memory.size, bytes: [...this.memory.values()].reduce((a, r) => a + r.size, 0), where: 'memory' };
    const tx = db.transaction(STORE, 'readonly');
    const all = await request(tx.objectStore(STORE).getAll());
    return { songs: all.length, bytes: all.reduce((a, r) => a + r.size, 0), where: 'indexeddb' };
  }
}
