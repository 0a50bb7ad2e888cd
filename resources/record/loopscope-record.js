// loopscope-record.js — record a plain `node` process's async activity as a Loopscope trace.
//
//   node --require /usr/share/loopscope/record/loopscope-record.js app.js
//   LOOPSCOPE_RECORD_FILE=out.json.gz node --require .../loopscope-record.js app.js
//
// Writes, when the process exits, the Chrome trace-event JSON that `loopscope run --trace`
// writes (open it in Loopscope, Perfetto or chrome://tracing): every callback as a B/E slice
// named by its async_hooks resource type, with the queue it ran from, its asyncId, trigger,
// creation site (file:line:col of the first frame outside node) and timer delay; a flow from
// each resource's creation to its first callback; console writes as instant events.
//
// The file: $LOOPSCOPE_RECORD_FILE ("%p" is replaced by the pid; ".gz" compresses), else
// loopscope-trace-<pid>.json in the working directory. LOOPSCOPE_RECORD_SOURCES=0 leaves the
// creation sites out (they are most of the cost).
//
// What plain node cannot tell a preload, the trace does not contain: loop iterations and phases,
// thread-pool lanes, poll blocking. The queue of a callback is known exactly for nextTick (a
// TickObject only runs from the tick queue) and the microtask queue (PROMISE, Microtask); a
// Timeout runs in timers and an Immediate in check; a handle's close(callback) is recorded (as
// Loopscope's recorder does, an instant "close request") and that callback is in close; everything
// else is attributed to poll. Timers, immediates and ticks carry their function's name.
// Destroy and promise-resolve events are not part of the file format, so no destroy hook is
// installed (it would make node track every promise for garbage collection).
// Only the main thread records; a process killed by a signal writes nothing.
'use strict';

(function record() {
  const { isMainThread } = require('worker_threads');
  if (!isMainThread)
    return;
  const asyncHooks = require('async_hooks');
  const fs = require('fs');
  const path = require('path');

  const file = path.resolve((process.env.LOOPSCOPE_RECORD_FILE || 'loopscope-trace-%p.json')
    .replace(/%p/g, String(process.pid)));
  const withSources = process.env.LOOPSCOPE_RECORD_SOURCES !== '0';
  const self = __filename;
  const now = () => performance.now() * 1000;  // µs since the process started

  // Events in the order they happened; turned into JSON once, at exit.
  const S = 0, B = 1, E = 2, I = 3, C = 4, BC = 5, R = 6;  // BC: a callback from the close queue
  const events = [];
  const byResource = new WeakMap();  // resource → its info (found again in `before`)
  const byId = new Map();            // asyncId → info, for resources not seen as objects
  let depth = 0;
  const closing = new Set();         // handles' asyncIds whose close callback has not run yet

  // The creation site: the first frame that is neither node's nor this file's.
  function creationSite() {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    Error.stackTraceLimit = 12;
    Error.prepareStackTrace = (_, frames) => frames;
    const holder = {};
    Error.captureStackTrace(holder, creationSite);
    const frames = holder.stack;
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
    if (!Array.isArray(frames))
      return undefined;
    for (const frame of frames) {
      const name = frame.getFileName();
      if (!name || name === self || name.startsWith('node:'))
        continue;
      const where = name.startsWith('file://') ? require('url').fileURLToPath(name) : name;
      return `${where}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
    }
    return undefined;
  }

  function queueOf(type) {
    switch (type) {
    case 'TickObject': return 'nextTick';
    case 'PROMISE': case 'Microtask': return 'microtask';
    case 'Timeout': return 'timers';
    case 'Immediate': return 'check';
    default: return 'poll';
    }
  }

  // timeout.refresh() arms a timer again (no new init): recorded, so that its lag counts from
  // there. Timeout's prototype and its asyncId symbol from a timer made before the hook is on.
  {
    const probe = setTimeout(() => {}, 0);
    clearTimeout(probe);
    const proto = Object.getPrototypeOf(probe);
    const idSymbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'asyncId');
    const refresh = proto && proto.refresh;
    if (idSymbol && typeof refresh === 'function') {
      proto.refresh = {
        refresh() {
          const result = Reflect.apply(refresh, this, arguments);
          if (typeof this[idSymbol] === 'number')
            events.push(R, now(), { asyncId: this[idSymbol] });
          return result;
        },
      }.refresh;
    }
  }

  asyncHooks.createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      const info = { asyncId, type, trigger: triggerAsyncId, source: undefined, delay: -1, repeat: false, ran: false };
      let callback;
      if (type === 'Timeout') {
        info.delay = resource._idleTimeout;
        info.repeat = resource._repeat !== null;
        callback = resource._onTimeout;
      } else if (type === 'Immediate') {
        callback = resource._onImmediate;
      } else if (type === 'TickObject') {
        callback = resource.callback;
      }
      if (typeof callback === 'function' && callback.name)
        info.fn = callback.name;
      if (withSources)
        info.source = creationSite();
      // Promises are many and short-lived: held weakly. Other resources are few.
      if (type === 'PROMISE' && resource !== null && typeof resource === 'object')
        byResource.set(resource, info);
      else
        byId.set(asyncId, info);
      events.push(S, now(), info);
    },
    before(asyncId) {
      const info = byId.get(asyncId) ?? byResource.get(asyncHooks.executionAsyncResource())
        ?? { asyncId, type: 'callback', trigger: asyncHooks.triggerAsyncId(), source: undefined, delay: -1, ran: true };
      ++depth;
      const kind = closing.size !== 0 && closing.delete(asyncId) ? BC : B;
      events.push(kind, now(), info.asyncId === asyncId ? info : { ...info, asyncId });
    },
    after() {
      if (depth > 0) {
        --depth;
        events.push(E, now(), null);
      }
    },
  }).enable();

  // Console writes: the stream's write, wrapped when the script first touches the stream.
  function head(chunk, encoding) {
    const bytes = typeof chunk === 'string'
      ? Buffer.from(chunk.slice(0, 20), typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8')
      : Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 20));
    let end = Math.min(bytes.length, 20);
    // Whole UTF-8 characters only, as Loopscope's export does.
    let i = end;
    while (i > 0 && (bytes[i - 1] & 0xC0) === 0x80) --i;
    if (i > 0) {
      const lead = bytes[i - 1];
      const need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      if (end - (i - 1) < need) end = i - 1;
    }
    return bytes.toString('utf8', 0, end);
  }
  function recordWrites(name) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    if (!descriptor || typeof descriptor.get !== 'function' || !descriptor.configurable)
      return;
    let wrapped;
    Object.defineProperty(process, name, {
      __proto__: null,
      configurable: true,
      enumerable: descriptor.enumerable,
      get() {
        const stream = descriptor.get.call(this);
        if (stream !== wrapped && stream && typeof stream.write === 'function') {
          const write = stream.write;
          stream.write = function (chunk, encoding, callback) {
            if (typeof chunk === 'string' || ArrayBuffer.isView(chunk)) {
              const length = typeof chunk === 'string'
                ? Buffer.byteLength(chunk, typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8')
                : chunk.byteLength;
              events.push(I, now(), { stream: name, length, text: head(chunk, encoding) });
            }
            return Reflect.apply(write, this, arguments);
          };
          wrapped = stream;
        }
        return stream;
      },
    });
  }
  recordWrites('stdout');
  recordWrites('stderr');

  // A handle's close(callback) (node's HandleWrap, the prototype every libuv handle shares): its
  // callback is the next one of that handle, and runs in a close phase. Node ignores the callback
  // of a second close.
  (function recordCloses() {
    const hadFlag = Object.prototype.hasOwnProperty.call(process, 'noDeprecation');
    const flag = process.noDeprecation;
    process.noDeprecation = true;  // process.binding may warn (DEP0111): not for the recorder
    let proto;
    try {
      proto = process.binding('tcp_wrap').TCP.prototype;
    } catch {
      return;
    } finally {
      if (hadFlag)
        process.noDeprecation = flag;
      else
        delete process.noDeprecation;
    }
    while (proto && !Object.prototype.hasOwnProperty.call(proto, 'close'))
      proto = Object.getPrototypeOf(proto);
    if (!proto || typeof proto.close !== 'function' || typeof proto.getAsyncId !== 'function')
      return;
    const close = proto.close;
    proto.close = function (callback) {
      if (typeof callback === 'function') {
        const asyncId = this.getAsyncId();
        if (!closing.has(asyncId)) {
          closing.add(asyncId);
          events.push(C, now(), { asyncId, fn: callback.name });
        }
      }
      return Reflect.apply(close, this, arguments);
    };
  })();

  function toJson() {
    const out = ['{"traceEvents":[',
      '\n{"ph":"M","name":"process_name","pid":1,"tid":0,"ts":0.000,"args":{"name":',
      JSON.stringify(`node ${process.argv.slice(1).map((a) => path.basename(a)).join(' ')}`), '}}',
      ',\n{"ph":"M","name":"thread_name","pid":1,"tid":1,"ts":0.000,"args":{"name":"loop"}}'];
    const ts = (t) => t.toFixed(3);
    let open = 0;
    let last = 0;
    for (let i = 0; i < events.length; i += 3) {
      const kind = events[i], t = ts(events[i + 1]), info = events[i + 2];
      last = events[i + 1];
      if (kind === S) {
        out.push(`,\n{"ph":"s","name":${JSON.stringify(info.type)},"cat":"async","pid":1,"tid":1,"ts":${t},"id":${info.asyncId}}`);
        info.flow = true;
      } else if (kind === B || kind === BC) {
        ++open;
        const queue = kind === BC ? 'close' : queueOf(info.type);
        let args = `"queue":"${queue}","asyncId":${info.asyncId},"triggerAsyncId":${info.trigger}`;
        if (info.source)
          args += `,"source":${JSON.stringify(info.source)}`;
        if (info.fn)
          args += `,"function":${JSON.stringify(info.fn)}`;
        if (info.delay >= 0)
          args += `,"delayMs":${Math.trunc(info.delay)},"repeat":${info.repeat}`;
        out.push(`,\n{"ph":"B","name":${JSON.stringify(info.type)},"cat":"callback","pid":1,"tid":1,"ts":${t},"args":{${args}}}`);
        if (info.flow && !info.ran)
          out.push(`,\n{"ph":"f","name":${JSON.stringify(info.type)},"cat":"async","pid":1,"tid":1,"ts":${t},"id":${info.asyncId},"bp":"e"}`);
        info.ran = true;
      } else if (kind === E) {
        --open;
        out.push(`,\n{"ph":"E","pid":1,"tid":1,"ts":${t}}`);
      } else if (kind === C) {
        const fn = info.fn ? `,"function":${JSON.stringify(info.fn)}` : '';
        out.push(`,\n{"ph":"i","name":"close request","cat":"close","pid":1,"tid":1,"ts":${t},"s":"t","args":{"asyncId":${info.asyncId}${fn}}}`);
      } else if (kind === R) {
        out.push(`,\n{"ph":"i","name":"refresh","cat":"timer","pid":1,"tid":1,"ts":${t},"s":"t","args":{"asyncId":${info.asyncId}}}`);
      } else {
        out.push(`,\n{"ph":"i","name":"${info.stream}","cat":"console","pid":1,"tid":1,"ts":${t},"s":"t","args":{"length":${info.length},"text":${JSON.stringify(info.text)}}}`);
      }
    }
    // A process that exits inside a callback (process.exit, an uncaught error) never ends it.
    for (; open > 0; --open)
      out.push(`,\n{"ph":"E","pid":1,"tid":1,"ts":${ts(last)}}`);
    out.push('\n]}\n');
    return out.join('');
  }

  let written = false;
  function writeTrace() {
    if (written)
      return;
    written = true;
    try {
      let data = Buffer.from(toJson());
      if (file.endsWith('.gz'))
        data = require('zlib').gzipSync(data);
      fs.writeFileSync(file, data);
    } catch (err) {
      fs.writeSync(2, `loopscope-record: cannot write ${file}: ${err.message}\n`);
    }
  }

  // Written after every other 'exit' listener has run (they may still print): node emits
  // 'exit' through process.emit, for a natural end, process.exit() and an uncaught error alike.
  const emit = process.emit;
  process.emit = function (event) {
    const result = Reflect.apply(emit, this, arguments);
    if (event === 'exit')
      writeTrace();
    return result;
  };
})();
