// empty — deliberately no code: running it costs only start-up and teardown, the fixed part
// of every other script's time. It prints nothing, so both runtimes must print nothing.
