# Our own code builds with warnings as errors; third-party and generated code does not.
#
# GCC 12 at -O3 (the Release build) reports two warnings from inside libstdc++ on correct code:
# - -Wrestrict in std::string's operator+ / _M_replace ("accessing 9223372036854775810 or more
#   bytes … may overlap"): GCC bugs 105329 and 105651, fixed in GCC 13;
# - -Wstringop-overflow in std::vector<std::byte>::insert ("writing 1 or more bytes into a region
#   of size 0"), the same -O3 inlining of an unreachable branch.
# Both only fire once the library's internals are inlined at -O3, so they are switched off for
# GCC 12's Release build alone. The -O2 test build (RelWithDebInfo) keeps them on as errors, so
# a real overlap or overflow in our code is still caught there.
set(parlo_gcc12_release_false_positives
  "$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_GREATER_EQUAL:$<CXX_COMPILER_VERSION>,12>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>,$<CONFIG:Release>>")

function(parlo_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror -Wno-missing-field-initializers>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,${parlo_gcc12_release_false_positives}>:-Wno-restrict -Wno-stringop-overflow>)
endfunction()
