// A small IndexedDB store for patrols recorded in the field: positions are kept on the phone
// until the upload succeeds (patrols happen in valleys without signal).
const DB = 'riverchief';
const STORE = 'recordings';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'client_id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const result = fn(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(result instanceof IDBRequest ? result.result : result); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
}

export const recordings = {
  put: (rec) => tx('readwrite', (s) => s.put(rec)),
  get: (id) => tx('readonly', (s) => s.get(id)),
  all: () => tx('readonly', (s) => s.getAll()),
  delete: (id) => tx('readwrite', (s) => s.delete(id)),
};
