// dap.test.mjs: `ttdb --dap` driven by DebugClient, the client VS Code's
// own debug adapters are tested with (npm @vscode/debugadapter-testsupport),
// on the test apps tests/tui/apps/counter.c and chain.c.  Run by
// tests/dap/dap.sh with node's test runner (TAP).
//
// Two rules of DebugClient: wait for an event by registering the wait
// *before* sending the request that triggers it, and let dc.stop() send
// the disconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_TESTS_DIR, 'x.js'));
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const TTDB = process.env.TTDB;
const B = process.env.top_builddir;
const S = process.env.top_srcdir;
const COUNTER = path.join(B, 'tests/tui/apps/counter.la');
const CHAIN = path.join(B, 'tests/tui/apps/chain.la');
const CHATTY = path.join(B, 'tests/tui/apps/chatty.la');
const COUNTER_C = path.resolve(S, 'tests/tui/apps/counter.c');
const DOOR = path.join(B, 'examples/reference/state_fallback.la');
const DOOR_C = path.resolve(S, 'examples/reference/state_fallback.c');

// The line of the first line of a function's body in counter.c (or file).
function bodyLine(fn, file = COUNTER_C) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`static void ${fn}(`));
  assert.ok(i >= 0, `${fn} in counter.c`);
  return i + 3; // the declaration, "{", then the first statement
}
function declLine(fn) {
  return bodyLine(fn) - 2;
}

async function client() {
  const dc = new DebugClient(TTDB, '--dap', 'ttdb');
  dc.defaultTimeout = 20000;
  await dc.start();
  return dc;
}

// initialize + launch (stopped at entry), breakpoints set by `setup`.
async function launch(dc, args, setup) {
  const init = dc.waitForEvent('initialized');
  const entry = dc.waitForEvent('stopped');
  await dc.initializeRequest({ adapterID: 'ttdb', linesStartAt1: true,
                               columnsStartAt1: true, pathFormat: 'path' });
  await dc.launchRequest({ stopOnEntry: true, ...args });
  await init;
  if (setup) await setup();
  await dc.configurationDoneRequest();
  return entry;
}

// The first output event of category whose text matches re.
function outputMatching(dc, category, re) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `no ${category} output matching ${re}`)), dc.defaultTimeout);
    const listen = (e) => {
      if (e.body.category !== category || !re.test(e.body.output)) return;
      clearTimeout(timer);
      dc.removeListener('output', listen);
      resolve(e);
    };
    dc.on('output', listen);
  });
}

async function continueTo(dc, threadId = 2) {
  const stopped = dc.waitForEvent('stopped');
  await dc.continueRequest({ threadId });
  return stopped;
}

test('initialize says what the adapter can do', async () => {
  const dc = await client();
  try {
    const r = await dc.initializeRequest({ adapterID: 'ttdb' });
    assert.equal(r.body.supportsConfigurationDoneRequest, true);
    assert.equal(r.body.supportsFunctionBreakpoints, true);
    assert.equal(r.body.supportsDataBreakpoints, true);
    assert.equal(r.body.supportsStepBack, true);
    assert.equal(r.body.supportsSetVariable, true);
  } finally {
    await dc.stop();
  }
});

test('launch stops at entry; the tonics are threads', async () => {
  const dc = await client();
  try {
    const started = dc.waitForEvent('thread');
    const entry = await launch(dc, { program: COUNTER });
    assert.equal(entry.body.reason, 'entry');
    assert.equal((await started).body.reason, 'started');
    const t = await dc.threadsRequest();
    const names = t.body.threads.map((x) => x.name);
    assert.ok(names.includes('Counter'), names.join(','));
    const stepped = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 2 });
    assert.equal((await stepped).body.reason, 'step');
    // the Worker infusion appears as the start-up runs: a thread event
    const worker = dc.waitForEvent('thread');
    const idle = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 2 });
    assert.match((await idle).body.description, /idle/);
    assert.equal((await worker).body.reason, 'started');
    const t2 = await dc.threadsRequest();
    assert.ok(t2.body.threads.some((x) => x.name === 'Worker'));
  } finally {
    await dc.stop();
  }
});

test('a bad launch is an error response', async () => {
  const dc = await client();
  try {
    await dc.initializeRequest({ adapterID: 'ttdb' });
    await assert.rejects(dc.launchRequest({ program: '/nonexistent.so' }),
                         /nonexistent/);
    await assert.rejects(dc.launchRequest({}), /program/);
  } finally {
    await dc.stop();
  }
});

test('function breakpoint, with condition and hit count', async () => {
  const dc = await client();
  try {
    let bps;
    await launch(dc, { program: COUNTER,
                       commands: ['call Counter add 1', 'call Counter add 2',
                                  'call Counter add 3'] },
                 async () => {
                   bps = await dc.setFunctionBreakpointsRequest({
                     breakpoints: [{ name: 'Counter.add', hitCondition: '2' },
                                   { name: 'bad name' }] });
                 });
    assert.equal(bps.body.breakpoints[0].verified, true);
    assert.equal(bps.body.breakpoints[1].verified, false);
    const s = await continueTo(dc);
    assert.equal(s.body.reason, 'function breakpoint');
    assert.deepEqual(s.body.hitBreakpointIds, [bps.body.breakpoints[0].id]);
    const v = await dc.evaluateRequest({ expression: 'Counter.count',
                                         context: 'watch' });
    assert.equal(v.body.result, '3'); // 1 + 2: the second add stopped
    // a condition on a probe
    await dc.setFunctionBreakpointsRequest({
      breakpoints: [{ name: 'Counter.add', condition: 'count >= 6' }] });
    const s2 = await continueTo(dc);
    assert.equal(s2.body.reason, 'function breakpoint');
    const v2 = await dc.evaluateRequest({ expression: 'Counter.count',
                                          context: 'hover' });
    assert.equal(v2.body.result, '6');
  } finally {
    await dc.stop();
  }
});

test('source breakpoint stops before the handler; no line, no bp', async () => {
  const dc = await client();
  try {
    let bps;
    await launch(dc, { program: COUNTER, commands: ['call Counter add 7'] },
                 async () => {
                   bps = await dc.setBreakpointsRequest({
                     source: { path: COUNTER_C },
                     breakpoints: [{ line: bodyLine('Counter_ttsc__add') },
                                   { line: 1 }] });
                 });
    assert.equal(bps.body.breakpoints[0].verified, true);
    assert.equal(bps.body.breakpoints[1].verified, false);
    assert.match(bps.body.breakpoints[1].message, /not inside a handler/);
    const s = await continueTo(dc);
    assert.equal(s.body.reason, 'breakpoint');
    const st = await dc.stackTraceRequest({ threadId: s.body.threadId });
    const f0 = st.body.stackFrames[0];
    assert.match(f0.name, /Counter\.ttsc__add\(7\)/);
    assert.equal(f0.source.path, COUNTER_C);
    assert.equal(f0.line, declLine('Counter_ttsc__add'));
    // it has not run yet
    const v = await dc.evaluateRequest({ expression: 'Counter.count',
                                         context: 'watch' });
    assert.equal(v.body.result, '0');
  } finally {
    await dc.stop();
  }
});

test('data breakpoint: a watch on a probe stops when it changes', async () => {
  const dc = await client();
  try {
    let bps;
    await launch(dc, { program: COUNTER,
                       commands: ['call Counter label "x"',
                                  'call Counter add 4'] },
                 async () => {
                   const info = await dc.customRequest('dataBreakpointInfo',
                     { name: 'Counter.count' });
                   assert.equal(info.body.dataId, 'Counter.count');
                   bps = await dc.customRequest('setDataBreakpoints', {
                     breakpoints: [{ dataId: info.body.dataId }] });
                 });
    assert.equal(bps.body.breakpoints[0].verified, true);
    const s = await continueTo(dc);
    assert.equal(s.body.reason, 'data breakpoint');
    assert.match(s.body.description, /Counter\.count/);
  } finally {
    await dc.stop();
  }
});

test('the stack is the causal chain; scopes and variables', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER, commands: ['call Counter ping'] },
                 () => dc.setFunctionBreakpointsRequest({
                   breakpoints: [{ name: 'Counter.on_worked' }] }));
    const s = await continueTo(dc);
    const st = await dc.stackTraceRequest({ threadId: s.body.threadId });
    const names = st.body.stackFrames.map((f) => f.name);
    assert.match(names[0], /Counter\.ttse__on_worked/);
    assert.match(names[1], /Worker\.ttsc__work/);
    assert.match(names[2], /Counter\.ttsc__ping/);
    assert.match(names[3], /ttdb/); // the input from outside
    assert.equal(st.body.stackFrames[1].source.path, COUNTER_C);
    const sc = await dc.scopesRequest({ frameId: st.body.stackFrames[1].id });
    const byName = Object.fromEntries(sc.body.scopes.map((x) => [x.name, x]));
    const args = await dc.variablesRequest({
      variablesReference: byName.Arguments.variablesReference });
    assert.equal(args.body.variables[0].value, '0'); // work(count)
    const now = await dc.variablesRequest({
      variablesReference: byName['Probes now'].variablesReference });
    assert.ok(now.body.variables.some((v) => v.name === 'jobs'));
    const state = await dc.variablesRequest({
      variablesReference: byName.State.variablesReference });
    assert.ok(state.body.variables.some((v) => v.name === 'state'));
    // setVariable is `set var` on the probes now; the past is read-only
    const set = await dc.setVariableRequest({
      variablesReference: byName['Probes now'].variablesReference,
      name: 'jobs', value: '5' });
    assert.equal(set.body.value, '5');
    const again = await dc.variablesRequest({
      variablesReference: byName['Probes now'].variablesReference });
    assert.equal(again.body.variables.find((v) => v.name === 'jobs').value,
                 '5');
    await assert.rejects(dc.setVariableRequest({
      variablesReference: byName['Probes now'].variablesReference,
      name: 'nosuch', value: '1' }));
    await assert.rejects(dc.setVariableRequest({
      variablesReference: byName.State.variablesReference,
      name: 'state', value: 'x' }), /Probes now/);
  } finally {
    await dc.stop();
  }
});

test('evaluate in the REPL runs a ttdb command', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER });
    const r = await dc.evaluateRequest({ expression: 'info tonics',
                                         context: 'repl' });
    assert.match(r.body.result, /Counter/);
    await assert.rejects(dc.evaluateRequest({ expression: 'stpe',
                                              context: 'repl' }),
                         /did you mean "step"/);
    // a command that runs reports the stop
    const stopped = dc.waitForEvent('stopped');
    await dc.evaluateRequest({ expression: 'step 2', context: 'repl' });
    assert.equal((await stopped).body.reason, 'step');
  } finally {
    await dc.stop();
  }
});

test('step back and reverse continue travel in time', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER,
                       commands: ['call Counter add 1', 'call Counter add 2'] },
                 () => dc.setFunctionBreakpointsRequest({
                   breakpoints: [{ name: 'Counter.add' }] }));
    await continueTo(dc); // after add 1
    await continueTo(dc); // after add 2
    const count = async () => (await dc.evaluateRequest({
      expression: 'Counter.count', context: 'watch' })).body.result;
    assert.equal(await count(), '3');
    let stopped = dc.waitForEvent('stopped');
    await dc.reverseContinueRequest({ threadId: 2 });
    await stopped;
    assert.equal(await count(), '1'); // back at the stop after add 1
    stopped = dc.waitForEvent('stopped');
    await dc.stepBackRequest({ threadId: 2 });
    assert.equal((await stopped).body.reason, 'step');
    assert.equal(await count(), '0'); // before add 1
  } finally {
    await dc.stop();
  }
});

test('a contained crash stops with reason exception', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER, commands: ['call Counter crash'] });
    const s = await continueTo(dc);
    assert.equal(s.body.reason, 'exception');
    assert.match(s.body.description, /crashed/);
    const t = await dc.threadsRequest();
    assert.ok(t.body.threads.length > 0);
  } finally {
    await dc.stop();
  }
});

test('pause interrupts a running continue', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: CHAIN,
                       commands: ['call Chain next 1000000000'] });
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 2 });
    await dc.pauseRequest({ threadId: 2 });
    const s = await stopped;
    assert.equal(s.body.reason, 'pause');
    assert.match(s.body.description, /interrupted/);
  } finally {
    await dc.stop();
  }
});

test('malformed requests get error responses, never a crash', async () => {
  const dc = await client();
  try {
    await assert.rejects(dc.customRequest('noSuchRequest', {}),
                         /unsupported request/);
    await assert.rejects(dc.stackTraceRequest({ threadId: 99 }),
                         /no app is loaded/);
    await launch(dc, { program: COUNTER });
    await assert.rejects(dc.stackTraceRequest({ threadId: 99 }),
                         /no thread 99/);
    await assert.rejects(dc.customRequest('setBreakpoints', {}),
                         /no path/);
    const r = await dc.threadsRequest(); // still serving
    assert.ok(r.body.threads.length > 0);
  } finally {
    await dc.stop();
  }
});

test('the app\'s stdout and stderr are output events', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: CHATTY, commands: ['call Chatty talk 2'] });
    const out = outputMatching(dc, 'stdout', /chatty line 2 of 2/);
    const err = outputMatching(dc, 'stderr', /goodbye on stderr/);
    // in the order they happened: the run's output before its stop line
    const order = [];
    dc.on('output', (e) => {
      if (/chatty line 2 of 2/.test(e.body.output)) order.push('app');
      if (/^stopped: /.test(e.body.output)) order.push('stop');
    });
    await continueTo(dc);
    await out;
    await err;
    assert.deepEqual(order, ['app', 'stop']);
  } finally {
    await dc.stop();
  }
});

test('reverseContinue with nothing before stops at the start: entry', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER, commands: ['call Counter add 1'] });
    await continueTo(dc);
    const stopped = dc.waitForEvent('stopped');
    await dc.reverseContinueRequest({ threadId: 2 });
    const s = await stopped;
    assert.equal(s.body.reason, 'entry');
    assert.match(s.body.description, /start of the session/);
  } finally {
    await dc.stop();
  }
});

test('stepBack sends thread events only for tonics that came or went', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER, commands: ['call Counter add 1'] });
    await continueTo(dc); // the Worker exists now
    const events = [];
    dc.on('thread', (e) => events.push(`${e.body.reason} ${e.body.threadId}`));
    let stopped = dc.waitForEvent('stopped');
    await dc.stepBackRequest({ threadId: 2 }); // before add 1: same tonics
    await stopped;
    assert.deepEqual(events, []);
    const t = await dc.threadsRequest();
    const worker = t.body.threads.find((x) => x.name === 'Worker');
    assert.ok(worker);
    stopped = dc.waitForEvent('stopped');
    await dc.reverseContinueRequest({ threadId: 2 }); // the start: no Worker
    await stopped;
    assert.ok(events.includes(`exited ${worker.id}`), events.join(', '));
    assert.ok(!events.some((e) => e.startsWith('started')), events.join(', '));
  } finally {
    await dc.stop();
  }
});

test('a source breakpoint stops before a handler already at the head', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER, commands: ['call Counter add 7'] });
    assert.match((await continueTo(dc)).body.description, /idle/);
    await dc.evaluateRequest({ expression: 'call Counter add 5',
                               context: 'repl' });
    const bps = await dc.setBreakpointsRequest({
      source: { path: COUNTER_C },
      breakpoints: [{ line: bodyLine('Counter_ttsc__add') }] });
    const count = async () => (await dc.evaluateRequest({
      expression: 'Counter.count', context: 'watch' })).body.result;
    // add 5 is next: the continue stops before it, nothing ran
    const s = await continueTo(dc);
    assert.equal(s.body.reason, 'breakpoint');
    assert.deepEqual(s.body.hitBreakpointIds, [bps.body.breakpoints[0].id]);
    assert.equal(await count(), '7');
    // a continue from that stop runs it
    assert.match((await continueTo(dc)).body.description, /idle/);
    assert.equal(await count(), '12');
  } finally {
    await dc.stop();
  }
});

test('a step that lands before a handler with a breakpoint reports it', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER, commands: ['call Counter add 7'] });
    assert.match((await continueTo(dc)).body.description, /idle/);
    const bps = await dc.setBreakpointsRequest({
      source: { path: COUNTER_C },
      breakpoints: [{ line: bodyLine('Counter_ttsc__add') }] });
    const id = bps.body.breakpoints[0].id;
    for (const c of ['call Counter add 1', 'call Counter add 5'])
      await dc.evaluateRequest({ expression: c, context: 'repl' });
    const count = async () => (await dc.evaluateRequest({
      expression: 'Counter.count', context: 'watch' })).body.result;
    const next = async () => {
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId: 2 });
      return stopped;
    };
    // add 1 is next and the breakpoint never saw it: stop before it
    let s = await next();
    assert.deepEqual(s.body.hitBreakpointIds, [id]);
    assert.equal(await count(), '7');
    // the step runs add 1 and comes to rest before add 5: as gdb, the
    // stop names the breakpoint it landed on
    s = await next();
    assert.equal(s.body.reason, 'breakpoint');
    assert.deepEqual(s.body.hitBreakpointIds, [id]);
    assert.equal(await count(), '8');
    // so a continue from there runs add 5 instead of stopping at once
    assert.match((await continueTo(dc)).body.description, /idle/);
    assert.equal(await count(), '13');
  } finally {
    await dc.stop();
  }
});

test('a breakpoint in a stateless handler stops only when it will run', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: DOOR,
                       commands: ['call Door close', 'call Door lock',
                                  'call Door open', 'call Door unlock',
                                  'call Door open'] },
                 () => dc.setBreakpointsRequest({
                   source: { path: DOOR_C },
                   breakpoints: [{ line: bodyLine('Door_ttsc__open',
                                                  DOOR_C) }] }));
    // the first open finds the door locked: Door_ttsc_locked__open runs,
    // not the stateless one; the stop is before the second open
    const s = await continueTo(dc);
    assert.equal(s.body.reason, 'breakpoint');
    const ev = (await dc.evaluateRequest({ expression: 'Door.events',
                                           context: 'watch' })).body.result;
    assert.match(ev, /open: locked \(refused\)/);
    assert.match(ev, /unlock: locked/);
    assert.doesNotMatch(ev, /open: generic/);
    assert.match((await continueTo(dc)).body.description, /idle/);
  } finally {
    await dc.stop();
  }
});

test('reverseContinue lands before a handler with a source breakpoint', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER,
                       commands: ['call Counter add 1', 'call Counter add 2'] },
                 () => dc.setBreakpointsRequest({
                   source: { path: COUNTER_C },
                   breakpoints: [{ line: bodyLine('Counter_ttsc__add') }] }));
    const count = async () => (await dc.evaluateRequest({
      expression: 'Counter.count', context: 'watch' })).body.result;
    assert.equal((await continueTo(dc)).body.reason, 'breakpoint');
    assert.equal(await count(), '0'); // before add 1
    assert.equal((await continueTo(dc)).body.reason, 'breakpoint');
    assert.equal(await count(), '1'); // before add 2
    assert.match((await continueTo(dc)).body.description, /idle/);
    assert.equal(await count(), '3');
    const stopped = dc.waitForEvent('stopped');
    await dc.reverseContinueRequest({ threadId: 2 });
    assert.equal((await stopped).body.reason, 'breakpoint');
    assert.equal(await count(), '1'); // before add 2 again
    // a continue from there runs add 2
    assert.match((await continueTo(dc)).body.description, /idle/);
    assert.equal(await count(), '3');
  } finally {
    await dc.stop();
  }
});

test('lints: a console line when a stop brings some, and a Lints scope', async () => {
  const dc = await client();
  try {
    await launch(dc, { program: COUNTER,
                       commands: ['call Counter ttsc__finish'] });
    const said = outputMatching(dc, 'console', /^lints: 1 \(1 new\)/);
    const s = await continueTo(dc);
    await said;
    const st = await dc.stackTraceRequest({ threadId: s.body.threadId });
    const sc = await dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
    const lints = sc.body.scopes.find((x) => x.name === 'Lints (1)');
    assert.ok(lints, sc.body.scopes.map((x) => x.name).join(','));
    const v = await dc.variablesRequest({
      variablesReference: lints.variablesReference });
    assert.equal(v.body.variables[0].name, '[0] warning finish-ignored');
    assert.match(v.body.variables[0].value,
                 /Counter\.ttsc__finish from outside was ignored .* at #\d+/);
  } finally {
    await dc.stop();
  }
});
