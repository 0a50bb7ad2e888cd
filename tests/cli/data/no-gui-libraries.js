// `loopscope run` maps no GUI library: Qt Gui, Qt Widgets and KF6 belong to loopscope-ide,
// and loading them (with ~60 libraries of theirs) was most of what a run cost over node.
const maps = require('fs').readFileSync('/proc/self/maps', 'utf8');
const gui = new Set(maps.split('\n')
  .map((line) => line.split(/\s+/)[5] || '')
  .filter((path) => /lib(Qt6(Gui|Widgets|DBus|Network)|KF6|GL|EGL|X11|xcb|fontconfig|freetype)/.test(path)));
if (gui.size > 0) {
  console.log(`GUI libraries mapped:\n${[...gui].join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`no GUI library among ${maps.split('\n').length} mappings; Qt Core: ${/libQt6Core/.test(maps)}`);
}
