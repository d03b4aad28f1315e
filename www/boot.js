// Starts the page. A file of its own (not an inline script) so the page's
// Content-Security-Policy needs nothing beyond 'wasm-unsafe-eval'.
import init from './imap-doctor-web.js';
init({ module_or_path: new URL('./imap-doctor-web_bg.wasm', import.meta.url) });
