# FindLibNode — Node.js as a shared library (Debian's libnode-dev), which ships no pkg-config file.
# Defines LibNode::LibNode and LibNode_VERSION.
find_path(LibNode_INCLUDE_DIR node.h PATH_SUFFIXES node)
find_library(LibNode_LIBRARY NAMES node)

if(LibNode_INCLUDE_DIR AND EXISTS "${LibNode_INCLUDE_DIR}/node_version.h")
    file(STRINGS "${LibNode_INCLUDE_DIR}/node_version.h" _defs REGEX "^#define NODE_(MAJOR|MINOR|PATCH)_VERSION [0-9]+")
    foreach(part MAJOR MINOR PATCH)
        string(REGEX REPLACE ".*NODE_${part}_VERSION ([0-9]+).*" "\\1" _${part} "${_defs}")
    endforeach()
    set(LibNode_VERSION "${_MAJOR}.${_MINOR}.${_PATCH}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibNode
    REQUIRED_VARS LibNode_LIBRARY LibNode_INCLUDE_DIR
    VERSION_VAR LibNode_VERSION)

if(LibNode_FOUND AND NOT TARGET LibNode::LibNode)
    add_library(LibNode::LibNode SHARED IMPORTED)
    set_target_properties(LibNode::LibNode PROPERTIES
        IMPORTED_LOCATION "${LibNode_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${LibNode_INCLUDE_DIR}"
        # node.h needs these to agree with how libnode was built (Debian: pointer compression off).
        INTERFACE_COMPILE_DEFINITIONS "NODE_WANT_INTERNALS=0")
endif()
mark_as_advanced(LibNode_INCLUDE_DIR LibNode_LIBRARY)
