// Loopscope's TypeScript support. Node 24 runs a .ts, .mts or .cts file by stripping its types
// with amaro, a builtin of its own. Debian builds its libnode without amaro, and node's own
// stripping path then refuses every file (ERR_NO_TYPESCRIPT, decided when its startup snapshot
// was made). So the stripping happens here instead, in a module load hook (module.registerHooks,
// in the loading thread, for require and import alike), with the amaro that upstream Node 24
// bundles, shipped beside Loopscope, and node's rules: strip-only mode, node's error codes and
// snippets for unsupported and invalid syntax, no stripping under node_modules, and the format
// node would decide. Stripping blanks the types out, so lines and columns stay the .ts file's.
// The 3.7 MB amaro file is compiled only when a script first loads a TypeScript file.
//
// Node runs this as a function of (require, amaroPath), with its internal `require`, in every
// thread's embedder preload: the main thread's and each worker's.
'use strict';

if (amaroPath) {
  const {
    codes: {
      ERR_INVALID_TYPESCRIPT_SYNTAX,
      ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING,
      ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX,
    },
  } = require('internal/errors');
  const { isUnderNodeModules } = require('internal/util');
  const { getOptionValue } = require('internal/options');
  const { fileURLToPath } = require('internal/url');
  const { internalBinding } = require('internal/bootstrap/realm');
  const { containsModuleSyntax } = internalBinding('contextify');

  let transformSync;
  function amaro() {
    if (!transformSync) {
      const source = require('fs').readFileSync(amaroPath, 'utf8');
      const wrapper = require('vm').compileFunction(source, ['exports', 'require', 'module'],
                                                    { filename: 'node:internal/deps/amaro/dist/index' });
      const module = { exports: {} };
      // amaro asks for node:buffer and util; node's internal require names builtins bare.
      wrapper(module.exports, (name) => require(name.startsWith('node:') ? name.slice(5) : name), module);
      transformSync = module.exports.transformSync;
    }
    return transformSync;
  }

  // What node's stripTypeScriptModuleTypes() returns for a module's source.
  function strip(source, filename, url, caller) {
    if (isUnderNodeModules(filename))
      throw new ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING(filename);
    try {
      return `${amaro()(source, { mode: 'strip-only', sourceMap: false, filename: url }).code}\n\n//# sourceURL=${url}`;
    } catch (e) {
      const Code = e?.code === 'UnsupportedSyntax' ? ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX
        : e?.code === 'InvalidSyntax' ? ERR_INVALID_TYPESCRIPT_SYNTAX : undefined;
      if (!Code)
        throw e;
      const error = new Code(e.message);
      Error.captureStackTrace(error, caller);  // node's loader frames, none of ours
      error.stack = `${e.filename}:${e.startLine}\n${e.snippet}\n${error.stack}`;
      throw error; /* node-do-not-add-exception-line */
    }
  }

  const typed = new Set(['typescript', 'commonjs-typescript', 'module-typescript']);
  // Under --experimental-transform-types node would transform, with source maps: not ours to
  // imitate, so such runs keep node's own path.
  if (getOptionValue('--strip-types') && !getOptionValue('--experimental-transform-types')) {
    // Node's own module behind module.registerHooks(): loaded already, where 'module' is not.
    require('internal/modules/customization_hooks').registerHooks({
      load: function load(url, context, nextLoad) {
        const path = url.split(/[?#]/)[0];
        if (!/\.[cm]?ts$/.test(path))
          return nextLoad(url, context);
        // Node's own format detection of a .ts file of no declared type would strip it first
        // (and refuse): ask for the source as of undecided type, and decide below.
        const asked = context.format ?? (path.endsWith('.ts') ? 'typescript' : undefined);
        const result = nextLoad(url, asked === context.format ? context : { ...context, format: asked });
        if (!typed.has(result.format) || result.source == null)
          return result;
        const filename = url.startsWith('file:') ? fileURLToPath(url) : url;
        const source = strip(String(result.source), filename, url, load);
        // A .ts file of no declared type is whichever its stripped source reads as, as in node.
        const format = result.format === 'typescript'
          ? (containsModuleSyntax(source, filename) ? 'module' : 'commonjs')
          : result.format.slice(0, -'-typescript'.length);
        return { ...result, format, source };
      },
    });
  }
}
