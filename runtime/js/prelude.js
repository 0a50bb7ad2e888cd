// Loopscope's prelude. Node runs it in every run's main thread as the embedder preload, after
// bootstrap and before the user's main module, with Node's internal `require`. `native` is the
// run's own binding (runtime/scriptrun.cpp).
//
// It does four things (five when tracing), and nothing a script can observe beyond them:
//  1. process.stdout / process.stderr write to the embedder instead of fds 1 and 2. Like node's
//     stdio for files and pipes they are synchronous, and they cannot be closed by the script.
//  2. process.stdin reads what the embedder feeds in.
//  3. A fatal uncaught error is reported exactly as node would print it, but to the captured
//     stderr: node's C++ would write it straight to fd 2, which belongs to the host process.
//  4. process.abort() and a signal the script sends itself with no listener end the run with
//     the exit code node's process would die with (128 + signal), instead of killing the host.
'use strict';

const { fatalExceptionStackEnhancers } = require('internal/errors');
const { isNativeError } = require('internal/util/types');

function defineLazyStream(name, make) {
  let stream;
  Object.defineProperty(process, name, {
    __proto__: null,
    configurable: true,
    enumerable: true,
    get() { return stream ??= make(); },
  });
}

// Node's stdio streams survive destroy(): the script cannot close the host's output.
function keepOpen(err, callback) {
  callback(err);
  this._undestroy();
  if (!this._writableState.emitClose)
    process.nextTick(() => this.emit('close'));
}

// Resources created while our own output stream completes a write (its after-write ticks) are
// the runtime's, not the script's: the trace marks them internal.
let inOutput = 0;

// 'stream' is required on first use: a script that never prints should not pay for loading it.
function makeOutput(fd) {
  const { Writable } = require('stream');
  const stream = new Writable({
    decodeStrings: false,
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && encoding !== 'utf8' && encoding !== 'utf-8')
        chunk = Buffer.from(chunk, encoding);
      native.write(fd, chunk);
      inOutput++;
      try {
        callback();
      } finally {
        inOutput--;
      }
    },
  });
  stream.fd = fd;
  stream._type = 'pipe';
  stream._isStdio = true;
  stream.destroySoon = stream.destroy;
  stream._destroy = keepOpen;
  return stream;
}

function makeInput() {
  const { Readable } = require('stream');
  const stdin = new Readable({
    read() { native.stdinWanted(true); },
  });
  stdin.fd = 0;
  native.onStdin((chunk) => {
    if (chunk === null) {
      native.stdinWanted(false);
      stdin.push(null);
    } else if (!stdin.push(chunk)) {
      native.stdinWanted(false);
    }
  });
  // As in node: a paused stdin stops keeping the loop alive, so the script can end.
  stdin.on('pause', () => process.nextTick(() => {
    if (!stdin.readableFlowing)
      native.stdinWanted(false);
  }));
  return stdin;
}

defineLazyStream('stdout', () => makeOutput(1));
defineLazyStream('stderr', () => makeOutput(2));
defineLazyStream('stdin', makeInput);

// What node prints for an error nobody handled (src/node_errors.cc): AppendExceptionLine()
// attaches the source block to a native Error, but prints it at once, after a blank line, for
// anything else (a thrown string, a plain object such as a worker's error); ReportFatalException()
// then prints the enhanced stack, or name and message, and the version.
function formatFatal(error) {
  const source = native.errorSource(error);
  const nativeError = isNativeError(error);
  const lead = source && !nativeError ? `\n${source}` : '';
  const hint = '(Use `node --trace-uncaught ...` to show where the exception was thrown)\n';
  let text;
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) {
    text = `${lead}${String(error)}\n${hint}`;
  } else {
    fatalExceptionStackEnhancers.beforeInspector(error);
    const trace = fatalExceptionStackEnhancers.afterInspector(error);
    // A decorated error (a syntax error of a module, say) carries the source block already.
    const arrow = nativeError && source && !(typeof trace === 'string' && trace.startsWith(source))
      ? `${source}\n` : lead;
    if (typeof trace === 'string' && trace.length > 0)
      text = `${arrow}${trace}\n`;
    else
      text = `${arrow}${error.name}: ${error.message}\n${hint}`;
  }
  return `${text}\nNode.js ${process.version}\n`;
}

const handleUncaught = process._fatalException;
process._fatalException = function _fatalException(error, fromPromise) {
  const handled = handleUncaught.call(this, error, fromPromise);
  if (handled !== false)
    return handled;
  // Not handled: 'exit' has been emitted and node is about to print and exit. Do both here.
  native.write(2, formatFatal(error));
  process.reallyExit(process.exitCode ?? 1);
  // The environment is stopping now, but V8 only notices at its next interrupt check, so node
  // would still see `false` and print the report a second time to the host's fd 2.
  return true;
};

const { signals } = require('os').constants;

// What a shell reports for a process killed by `signal`.
function diedOf(signal) {
  process.reallyExit(128 + signal);
}

process.abort = function abort() {
  diedOf(signals.SIGABRT);
};

const signalNames = Object.fromEntries(Object.entries(signals).map(([name, n]) => [n, name]));
// Signals whose default action is to be ignored cannot hurt the host: let them through.
const harmless = new Set(['SIGCHLD', 'SIGURG', 'SIGWINCH', 'SIGCONT']);
const originalKill = process.kill;
process.kill = function kill(pid, signal = 'SIGTERM') {
  const number = typeof signal === 'number' ? signal : signals[signal];
  const name = signalNames[number];
  const toSelf = Number(pid) === process.pid || Number(pid) === 0;
  // With a listener node handles the signal in JS, exactly as under node; signal 0 only probes.
  if (toSelf && number > 0 && name && !harmless.has(name) && process.listenerCount(name) === 0) {
    diedOf(number);
    return true;
  }
  return originalKill.call(this, pid, signal);
};

// 5. With tracing on, async_hooks feed the run's trace (runtime/tracerecorder.h). The hooks only
//    record: they schedule nothing, so the script's order of events is unchanged. Promises are
//    recorded natively by V8's per-isolate promise hook when the runtime offers it: then our
//    hook is registered the way AsyncHook.enable() does it, minus node's JS promise hooks.
if (typeof native.traceInit === 'function') {
  const typeIds = new Map();
  const typeId = (type) => {
    let id = typeIds.get(type);
    if (id === undefined) {
      id = native.traceIntern(type);
      typeIds.set(type, id);
    }
    return id;
  };
  const { traceInit, traceBefore, traceAfter, traceDestroy, tracePromiseResolve } = native;

  // node's async id fields (shared with its C++): a promise's asyncId comes from node's counter.
  // process.binding warns once per module (DEP0111): not for our own access.
  let nativePromises = false;
  if (typeof native.traceNativePromises === 'function') {
    const hadFlag = Object.prototype.hasOwnProperty.call(process, 'noDeprecation');
    const flag = process.noDeprecation;
    process.noDeprecation = true;
    try {
      const { async_id_fields: fields, constants } = process.binding('async_wrap');
      nativePromises = native.traceNativePromises(fields, constants.kExecutionAsyncId,
                                                  constants.kAsyncIdCounter, constants.kDefaultTriggerAsyncId);
    } finally {
      if (hadFlag)
        process.noDeprecation = flag;
      else
        delete process.noDeprecation;
    }
  }

  // Promises node reports anyway (once the script enables a hook of its own, node's JS promise
  // hooks are on for every hook) are recorded natively already: skipped here.
  const skipped = new Set();
  // An I/O request gets its callback only once made (req.oncomplete = ... after `new`): the last
  // one is named at the next hook, by which time it has it. The user's own function when node
  // keeps it (dns's req.callback, fs.readFile's req.context.callback), else node's oncomplete;
  // node's fs wrappers (makeCallback) are arrows with no name, and stay unnamed.
  let unnamed = null;
  let unnamedId = 0;
  function nameUnnamed() {
    const req = unnamed;
    unnamed = null;
    const context = req.context;
    const fn = typeof req.callback === 'function' ? req.callback
      : context !== null && typeof context === 'object' && typeof context.callback === 'function'
        ? context.callback : req.oncomplete;
    if (typeof fn === 'function' && fn.name)
      native.traceName(unnamedId, typeId(fn.name));
  }
  function init(asyncId, type, triggerAsyncId, resource) {
    if (unnamed !== null)
      nameUnnamed();
    if (nativePromises && type === 'PROMISE') {
      skipped.add(asyncId);
      return;
    }
    let delay = -1;
    let repeat = false;
    let callback;
    if (type === 'Timeout') {
      delay = resource._idleTimeout;
      repeat = resource._repeat !== null;
      callback = resource._onTimeout;
    } else if (type === 'Immediate') {
      callback = resource._onImmediate;
    } else if (type === 'TickObject') {
      callback = resource.callback;
    } else if (inOutput === 0 && (type.includes('REQ') || type.endsWith('CONNECTWRAP'))) {
      unnamed = resource;
      unnamedId = asyncId;
    }
    // The function's name, for the panes' cards; interned once per distinct name.
    const name = typeof callback === 'function' ? callback.name : '';
    traceInit(asyncId, typeId(type), triggerAsyncId, delay, repeat, inOutput > 0, name ? typeId(name) : 0);
  }
  function before(asyncId) {
    if (unnamed !== null)
      nameUnnamed();
    if (skipped.size === 0 || !skipped.has(asyncId))
      traceBefore(asyncId);
  }
  function after(asyncId) {
    if (unnamed !== null)
      nameUnnamed();
    if (skipped.size === 0 || !skipped.has(asyncId))
      traceAfter(asyncId);
  }
  function destroy(asyncId) {
    if (unnamed !== null)
      nameUnnamed();
    if (skipped.size !== 0 && skipped.delete(asyncId))
      return;
    traceDestroy(asyncId);
  }

  if (nativePromises) {
    const { getHookArrays, enableHooks, symbols, constants } = require('internal/async_hooks');
    const { kInit, kBefore, kAfter, kDestroy, kTotals } = constants;
    const [hooks, fields] = getHookArrays();
    const wasEnabled = fields[kTotals] > 0;
    for (const k of [kInit, kBefore, kAfter, kDestroy]) {
      fields[k] += 1;
      fields[kTotals] += 1;
    }
    hooks.push({
      [symbols.init_symbol]: init,
      [symbols.before_symbol]: before,
      [symbols.after_symbol]: after,
      [symbols.destroy_symbol]: destroy,
    });
    if (!wasEnabled)
      enableHooks();
  } else {
    const { createHook } = require('async_hooks');
    createHook({ init, before, after, destroy, promiseResolve: tracePromiseResolve }).enable();
  }

  // A handle's close(callback) (node's HandleWrap, the prototype every libuv handle shares) is
  // recorded when asked for: its callback waits for a close phase, which the trace can then show
  // exactly. Node ignores the callback of a close after the first; so does the index.
  if (typeof native.traceCloseRequest === 'function') {
    const { traceCloseRequest } = native;
    const hadFlag = Object.prototype.hasOwnProperty.call(process, 'noDeprecation');
    const flag = process.noDeprecation;
    process.noDeprecation = true;
    let proto;
    try {
      proto = process.binding('tcp_wrap').TCP.prototype;
    } finally {
      if (hadFlag)
        process.noDeprecation = flag;
      else
        delete process.noDeprecation;
    }
    while (proto && !Object.prototype.hasOwnProperty.call(proto, 'close'))
      proto = Object.getPrototypeOf(proto);
    if (proto && typeof proto.close === 'function' && typeof proto.getAsyncId === 'function') {
      const close = proto.close;
      proto.close = function(callback) {
        if (typeof callback === 'function' && inOutput === 0)
          traceCloseRequest(this.getAsyncId(), callback.name ? typeId(callback.name) : 0);
        return Reflect.apply(close, this, arguments);
      };
    }
  }

  // timeout.refresh() arms a timer again with no new init (a timer that already ran runs once
  // more): recorded, so that its lag counts from there. A method like the original (its name,
  // its length, no prototype); node's own refreshes (socket timeouts) are recorded too.
  if (typeof native.traceTimerRearm === 'function') {
    const { traceTimerRearm } = native;
    const { Timeout, async_id_symbol } = require('internal/timers');
    const refresh = Timeout && Timeout.prototype.refresh;
    if (typeof refresh === 'function') {
      Timeout.prototype.refresh = {
        refresh() {
          const result = Reflect.apply(refresh, this, arguments);
          if (inOutput === 0 && typeof this[async_id_symbol] === 'number')
            traceTimerRearm(this[async_id_symbol]);
          return result;
        },
      }.refresh;
    }
  }
}
