#pragma once
// Catch2 3.x or 2.x, whichever tests/cpp/CMakeLists.txt found. Use only what both provide:
// TEST_CASE, SECTION, INFO, CHECK/REQUIRE (and _THROWS_AS / _NOTHROW), and chainload_test::Approx.
#ifdef CHAINLOAD_CATCH2_V3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <exception>
#include <string>

namespace chainload_test {

// Catch::Approx in 3.x; Catch::Detail::Approx in 2.x (where Catch::Approx names a vector matcher).
#ifdef CHAINLOAD_CATCH2_V3
using Catch::Approx;
#else
using Catch::Detail::Approx;
#endif

// The what() of the exception `f` throws, or "<no exception>". Lets a test compare a whole
// error message exactly, without depending on the matcher names that differ between versions.
template <typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no exception>";
}

}  // namespace chainload_test
