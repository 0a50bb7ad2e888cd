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

// 'os' is required on first use, as under node: a script that sends no signal does not load it.
// Built with what the prelude captured now, so a script's changes to builtins cannot reach it.
const objectKeys = Object.keys;
let signals;
let signalNames;
function signalTables() {
  if (signals === undefined) {
    const table = require('os').constants.signals;
    const names = objectKeys(table);
    signalNames = { __proto__: null };
    for (let i = 0; i < names.length; i++)
      signalNames[table[names[i]]] = names[i];
    signals = table;
  }
  return signals;
}

// What a shell reports for a process killed by `signal`.
function diedOf(signal) {
  process.reallyExit(128 + signal);
}

process.abort = function abort() {
  diedOf(signalTables().SIGABRT);
};

// Signals whose default action is to be ignored cannot hurt the host: let them through.
const harmless = new Set(['SIGCHLD', 'SIGURG', 'SIGWINCH', 'SIGCONT']);
const originalKill = process.kill;
process.kill = function kill(pid, signal = 'SIGTERM') {
  const table = signalTables();
  const number = typeof signal === 'number' ? signal : table[signal];
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
//    A function, called at the end: V8 then only pre-parses it in an untraced run, rather than
//    compiling all of it as top-level code of the prelude.
function startTracing() {
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

  // Node's C++ bindings, as node's own modules reach them: process.binding() warns (DEP0111) and
  // no longer serves async_wrap on Node 24.
  const { internalBinding } = require('internal/bootstrap/realm');

  // node's async id fields (shared with its C++): a promise's asyncId comes from node's counter.
  let nativePromises = false;
  if (typeof native.traceNativePromises === 'function') {
    const { async_id_fields: fields, constants } = internalBinding('async_wrap');
    nativePromises = native.traceNativePromises(fields, constants.kExecutionAsyncId,
                                                constants.kAsyncIdCounter, constants.kDefaultTriggerAsyncId);
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
  // A public API wrapped below (fs.stat, crypto.pbkdf2, ...) hides the user's function behind a
  // closure of node's: while it runs, the name of the function it was given (0: anonymous),
  // taken by the first request it makes; undefined outside those calls.
  let callerCallbackName;
  let unnamedCallerName;
  function nameUnnamed() {
    const req = unnamed;
    unnamed = null;
    if (unnamedCallerName !== undefined) {
      if (unnamedCallerName !== 0)
        native.traceName(unnamedId, unnamedCallerName);
      return;
    }
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
      unnamedCallerName = callerCallbackName;
      callerCallbackName = undefined;
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
    let proto = internalBinding('tcp_wrap').TCP.prototype;
    while (proto && !Object.prototype.hasOwnProperty.call(proto, 'close'))
      proto = Object.getPrototypeOf(proto);
    if (proto && typeof proto.close === 'function' && typeof proto.getAsyncId === 'function') {
      const close = proto.close;
      const { owner_symbol } = require('internal/async_hooks').symbols;
      const EventEmitter = require('events');
      const listenersOf = EventEmitter.prototype.listeners;
      proto.close = function(callback) {
        if (typeof callback === 'function' && inOutput === 0) {
          let name = callback.name;
          // A socket's close callback is node's arrow that emits the socket's 'close': the
          // script's own function is that event's first listener.
          if (!name) {
            const owner = this[owner_symbol];
            if (owner instanceof EventEmitter) {
              const listener = apply(listenersOf, owner, ['close'])[0];
              if (typeof listener === 'function')
                name = listener.name;
            }
          }
          traceCloseRequest(this.getAsyncId(), name ? typeId(name) : 0);
        }
        return Reflect.apply(close, this, arguments);
      };
    }
  }

  // Names that node's wrappers hide. Each wrapper only notes a name for the trace: it calls the
  // original with the same receiver and arguments and returns what it returns, keeps its name,
  // length and own properties (util.promisify.custom and the like), and is not a constructor,
  // like the builtin it stands for. Errors thrown by the original pass through unchanged.
  const { apply } = Reflect;
  const { defineProperty, getOwnPropertyDescriptors, defineProperties } = Object;
  function functionName(fn) {
    if (typeof fn !== 'function')
      return 0;
    const name = fn.name;
    return typeof name === 'string' && name !== '' ? typeId(name) : 0;
  }
  function keepShape(wrapper, original) {
    const own = getOwnPropertyDescriptors(original);
    delete own.prototype;
    defineProperties(wrapper, own);
    return wrapper;
  }

  // Promise reactions: V8's hook gives the promise a reaction settles, never the handler, so
  // then() names the promise it returns after the handler that its reaction will run (the
  // fulfilment handler if it has one, else the rejection handler). catch() calls this.then, and
  // finally() is wrapped for its own handler. await calls no then(): step mode names it after the
  // async function it resumes (TraceRecorder::recordAwaitName). Promise.all, a thenable's
  // resolution and the like call then() with V8's own nameless functions: nothing is named.
  let namePromise = null;
  if (nativePromises) {
    namePromise = native.tracePromiseName;
  } else {
    const { async_id_symbol } = require('internal/async_hooks').symbols;
    namePromise = (promise, name) => {
      const id = promise !== null && typeof promise === 'object' ? promise[async_id_symbol] : undefined;
      if (typeof id === 'number' && id > 0)
        native.traceName(id, name);
    };
  }
  const promiseThen = Promise.prototype.then;
  const promiseFinally = Promise.prototype.finally;
  // Called as primordials do, safe from a script's changes to Function.prototype.call.
  const callThen = Function.prototype.call.bind(promiseThen);
  const callFinally = Function.prototype.call.bind(promiseFinally);
  const promiseMethods = {
    then(onFulfilled, onRejected) {
      const derived = callThen(this, onFulfilled, onRejected);
      const name = functionName(typeof onFulfilled === 'function' ? onFulfilled : onRejected);
      if (name !== 0)
        namePromise(derived, name);
      return derived;
    },
    finally(onFinally) {
      const derived = callFinally(this, onFinally);
      const name = functionName(onFinally);
      if (name !== 0)
        namePromise(derived, name);
      return derived;
    },
  };
  for (const key of ['then', 'finally']) {
    const descriptor = Object.getOwnPropertyDescriptor(Promise.prototype, key);
    defineProperty(Promise.prototype, key, {
      __proto__: null,
      value: keepShape(promiseMethods[key], descriptor.value),
      writable: descriptor.writable,
      enumerable: descriptor.enumerable,
      configurable: descriptor.configurable,
    });
  }

  // Callback APIs whose request runs a nameless closure of node's (fs's makeCallback, crypto's
  // job.ondone): their first request is named after the function the script passed (the last
  // function argument). Only APIs that make one request for the call: fs.writeFile's first request
  // is its open, whose callback is not the script's.
  function nameRequestsOf(module, names) {
    for (const key of names) {
      const original = module[key];
      if (typeof original !== 'function')
        continue;
      const wrapper = {
        [key]() {
          let callback;
          for (let i = arguments.length - 1; i >= 0; --i) {
            if (typeof arguments[i] === 'function') {
              callback = arguments[i];
              break;
            }
          }
          // Only the outermost call names (fs.exists calls fs.access with a function of its own).
          if (callback === undefined || callerCallbackName !== undefined)
            return apply(original, this, arguments);
          const outer = callerCallbackName;
          callerCallbackName = functionName(callback);
          try {
            return apply(original, this, arguments);
          } finally {
            callerCallbackName = outer;
          }
        },
      }[key];
      module[key] = keepShape(wrapper, original);
    }
  }
  nameRequestsOf(require('fs'), [
    'access', 'chmod', 'chown', 'close', 'copyFile', 'exists', 'fchmod', 'fchown', 'fdatasync',
    'fstat', 'fsync', 'ftruncate', 'futimes', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir',
    'mkdtemp', 'open', 'read', 'readdir', 'readlink', 'readv', 'rename', 'rmdir', 'stat', 'statfs',
    'symlink', 'unlink', 'utimes', 'write', 'writev',
  ]);
  // crypto costs tens of milliseconds to load: wrapped when the script first asks for it (CJS
  // require and ESM import both come through compileForPublicLoader, which copies the exports
  // to the ESM facade after compiling: wrapped before that copy).
  const cryptoRequests = [
    'pbkdf2', 'scrypt', 'randomBytes', 'randomFill', 'generateKeyPair', 'hkdf', 'randomInt',
  ];
  let BuiltinModule;
  try {
    ({ BuiltinModule } = require('internal/bootstrap/realm'));
  } catch {
    // Another node: crypto's callbacks stay as node names them.
  }
  const cryptoModule = BuiltinModule?.map?.get('crypto');
  const compileForPublic = cryptoModule?.compileForPublicLoader;
  if (typeof compileForPublic === 'function' && typeof cryptoModule.compileForInternalLoader === 'function') {
    cryptoModule.compileForPublicLoader = function compileForPublicLoader() {
      delete cryptoModule.compileForPublicLoader;  // back to the prototype's, once
      nameRequestsOf(cryptoModule.compileForInternalLoader(), cryptoRequests);
      return apply(compileForPublic, this, arguments);
    };
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

if (typeof native.traceInit === 'function')
  startTracing();
