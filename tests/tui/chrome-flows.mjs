// chrome-flows.mjs: load a chrome export with the Chrome DevTools trace
// engine (npm @paulirish/trace_engine) and check that every flow binds.
//
//   node chrome-flows.mjs NODE_MODULES_DIR FILE.chrome.json
//
// The expected flows are computed from the file itself: one per sparkle
// slice whose args.cause names a slice of the export on another thread.
// The engine binds a flow event only to a slice with exactly its ts, pid,
// tid and cat; a flow it bound has its two slices.  Prints TAP.
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';

// Debian 12's node (18) lacks Array.prototype.toSorted, which one insight
// of the engine uses, and URL.parse, which the engine calls on every trace.
if (!Array.prototype.toSorted)
  Object.defineProperty(Array.prototype, 'toSorted', {
    value(cmp) { return [...this].sort(cmp); },
  });
if (!URL.parse)
  URL.parse = (u, base) => {
    try { return new URL(u, base); } catch { return null; }
  };

const [modules, file] = process.argv.slice(2);
const entry = path.join(modules, '@paulirish/trace_engine/models/trace/trace.js');
const Trace = await import(url.pathToFileURL(entry).href);
const events = JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents;

// Expected: slices by seq, then the cross-thread causes.
const bySeq = new Map();
for (const e of events)
  if (e.ph === 'X' && e.cat === 'sparkle') bySeq.set(e.args.seq, e);
const want = new Set();
for (const e of bySeq.values()) {
  const c = e.args.cause !== undefined ? bySeq.get(e.args.cause) : undefined;
  if (c && c.tid !== e.tid) want.add(`${c.args.seq}->${e.args.seq}`);
}

const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(events);
const flows = model.parsedTrace().data.Flows.flows;
const got = new Set(flows.filter(f => f.length === 2)
                         .map(f => `${f[0].args.seq}->${f[1].args.seq}`));

let n = 0, bad = 0;
const check = (ok, what) => {
  n++;
  if (!ok) bad++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${what}`);
};
console.log('1..4');
check(want.size > 0, `the export has cross-tonic causes (${want.size})`);
check(flows.length === want.size,
      `the engine finds one flow per cross-tonic cause (${flows.length} of ${want.size})`);
const missing = [...want].filter(k => !got.has(k));
check(missing.length === 0, `every flow binds its two slices${missing.length ? ': missing ' + missing.join(', ') : ''}`);
const extra = [...got].filter(k => !want.has(k));
check(extra.length === 0, `no flow binds other slices${extra.length ? ': ' + extra.join(', ') : ''}`);
process.exit(bad ? 1 : 0);
