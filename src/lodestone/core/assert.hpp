// lodestone/core/assert.hpp: LODE_ASSERT for invariants of validated data.
// Never triggered by user input: if it fires on user data, add a validation rule instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#ifndef NDEBUG
#define LODE_ASSERT(cond)                                                                     \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (false)
#else
#define LODE_ASSERT(cond) static_cast<void>(0)
#endif
