# One list of warnings for project code; tests get a relaxed list (abseil copts style).
set(LODE_WARNINGS
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wdouble-promotion -Wimplicit-fallthrough)
set(LODE_TEST_WARNINGS -Wall -Wextra -Wno-sign-compare)
if(LODE_WERROR)
  list(APPEND LODE_WARNINGS -Werror)
  list(APPEND LODE_TEST_WARNINGS -Werror)
endif()
