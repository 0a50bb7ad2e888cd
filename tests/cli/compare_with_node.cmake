# Runs SCRIPT under NODE and under `LOOPSCOPE run` from the script's folder and fails unless
# stdout, stderr and the exit code are identical. cmake -DLOOPSCOPE= -DNODE= -DSCRIPT= -P this
# Optional -DLOOPSCOPE_OPTIONS=a|b: options for `loopscope run` (| separates them).
if(NOT EXISTS "${SCRIPT}")
    message(FATAL_ERROR "no such script: ${SCRIPT} (is ../shared beside the checkout?)")
endif()
get_filename_component(dir "${SCRIPT}" DIRECTORY)
get_filename_component(name "${SCRIPT}" NAME)
# Node 24 as upstream ships it strips TypeScript types by default, and so does Loopscope; Debian
# builds its node without the type stripper and turns the default off. The reference run turns
# it back on (through NODE_OPTIONS, which a script's process.execArgv does not show): without
# amaro it only changes node's code paths, e.g. a worker's eval goes through evalTypeScript.
execute_process(COMMAND ${CMAKE_COMMAND} -E env NODE_OPTIONS=--strip-types "${NODE}" "${name}" WORKING_DIRECTORY "${dir}"
    OUTPUT_VARIABLE node_out ERROR_VARIABLE node_err RESULT_VARIABLE node_rc)
string(REPLACE "|" ";" options "${LOOPSCOPE_OPTIONS}")
execute_process(COMMAND "${LOOPSCOPE}" run ${options} "${name}" WORKING_DIRECTORY "${dir}"
    OUTPUT_VARIABLE ls_out ERROR_VARIABLE ls_err RESULT_VARIABLE ls_rc)
set(ok TRUE)
foreach(part out err rc)
    if(NOT "${node_${part}}" STREQUAL "${ls_${part}}")
        set(ok FALSE)
        message("${part} differs for ${name}\n--- node:\n${node_${part}}\n--- loopscope:\n${ls_${part}}")
    endif()
endforeach()
if(NOT ok)
    message(FATAL_ERROR "loopscope run ${name} differs from node ${name}")
endif()
message("identical: stdout ${node_out}stderr ${node_err}exit ${node_rc}")
