// Timer re-arms. `first` (100 ms) is refreshed after 200 ms of busy main: it is due 100 ms after
// the refresh, not after its creation (which would make it ~200 ms late). Its run makes `again`
// (10 ms), which refreshes itself in its first two runs and then stays busy 30 ms: each refresh
// arms it once more (it runs three times, one asyncId), and each next run is ≥ 20 ms late.
function spin(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
}
const first = setTimeout(function refreshed() {
  console.log('refreshed');
  let runs = 0;
  const again = setTimeout(function rerun() {
    console.log('again ' + ++runs);
    if (runs < 3) {
      again.refresh();
      spin(30);
    }
  }, 10);
}, 100);
spin(200);
first.refresh();
