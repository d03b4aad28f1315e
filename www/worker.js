// The page's Web Worker: analyses large inputs off the main thread with the
// wasm the page already compiled. Each job carries that WebAssembly.Module
// (posted by src/web/worker.rs), so no second copy of the wasm is fetched
// or compiled; only this file and the small glue script load (from cache).
import { initSync, analyze_job } from './imap-doctor-web.js';

let ready = false;
self.onmessage = (e) => {
  const job = e.data;
  if (!ready) {
    initSync({ module: job.module });
    ready = true;
  }
  const report = analyze_job(job);
  self.postMessage({ id: job.id, report }, [report.buffer]);
};
