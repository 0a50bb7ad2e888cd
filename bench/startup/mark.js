// Writes the moment the main module starts (CLOCK_MONOTONIC, ns, the clock phases.py reads)
// to the file named by argv[2]. Nothing else: the rest of the run is teardown.
require('fs').writeFileSync(process.argv[2], String(process.hrtime.bigint()));
