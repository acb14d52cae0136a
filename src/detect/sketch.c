/* mamori — the distinct-count sketch of correlation state: HyperLogLog
 * (Flajolet, Fusy, Gandouet, Meunier 2007) with 2^MM_HLL_P one-byte registers
 * and the linear-counting correction for small cardinalities (Heule, Nunkesser,
 * Hall 2013, "HyperLogLog in Practice"). Used by correlate.c once a group's
 * exact distinct set passes its threshold; relative standard error
 * 1.04 / sqrt(2^MM_HLL_P) ≈ 3.25 % at P = 10 (docs/internals/CORRELATE.md). */
#include "detect_int.h"

#include <math.h>

uint64_t mm__mix64(uint64_t x)
{
	/* splitmix64's finaliser: every input bit affects every output bit, so
	 * register index and rank are independent even for similar hashes */
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

void mm__hll_add(uint8_t *reg, uint64_t hash)
{
	uint64_t h = mm__mix64(hash);
	uint32_t idx = (uint32_t)(h >> (64 - MM_HLL_P));
	uint64_t rest = h << MM_HLL_P;
	/* rank: position of the first 1 bit in the remaining 64 - P bits */
	uint8_t rank = 1;
	while (rank <= 64 - MM_HLL_P && !(rest & (UINT64_C(1) << 63))) {
		rank++;
		rest <<= 1;
	}
	if (reg[idx] < rank)
		reg[idx] = rank;
}

void mm__hll_merge(uint8_t *dst, const uint8_t *src)
{
	for (uint32_t i = 0; i < MM_HLL_M; i++)
		if (dst[i] < src[i])
			dst[i] = src[i];
}

double mm__hll_estimate(const uint8_t *reg)
{
	const double m = (double)MM_HLL_M;
	double sum = 0;
	uint32_t zeros = 0;
	for (uint32_t i = 0; i < MM_HLL_M; i++) {
		sum += ldexp(1.0, -(int)reg[i]);
		zeros += reg[i] == 0;
	}
	double alpha = 0.7213 / (1.0 + 1.079 / m);
	double e = alpha * m * m / sum;
	/* small range: linear counting is more accurate while registers are empty */
	if (e <= 2.5 * m && zeros)
		e = m * log(m / (double)zeros);
	return e;
}
