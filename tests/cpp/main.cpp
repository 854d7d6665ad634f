// Catch2 2.x only: the single header provides main() in exactly one translation unit.
// (Catch2 3.x links Catch2::Catch2WithMain instead; this file is not built there.)
#define CATCH_CONFIG_MAIN
#include "catch.hpp"
