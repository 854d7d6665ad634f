#pragma once
// The inline namespace that keeps each instruction set's copy of the shared inline code apart.
// batch_kernels.cpp is compiled once per instruction set (CHAINLOAD_ISA = baseline, avx2, avx512);
// every other object of the core has no CHAINLOAD_ISA and gets the `core` copy. An inline function
// or template that a kernel object and the core both use (the progression rules, Brzycki, the
// day kernels' formulas) is then a different symbol in each object, so the linker can never hand
// the baseline code an AVX-512 copy (an ODR merge of differently compiled inline code).
#ifdef CHAINLOAD_ISA
#define CHAINLOAD_ISA_COPY CHAINLOAD_ISA
#else
#define CHAINLOAD_ISA_COPY core
#endif
