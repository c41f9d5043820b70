/* test-hash.c
 * The tables' hash: the same key gives the same value wherever it lies,
 * another seed gives other values, and the low bits -- the bucket of a
 * power-of-two table -- spread sequential IPv4 addresses evenly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/packet.h"
#include "util/hash.h"

/* 11.0.0.0 + i, as the engine stores an IPv4 address (rest zero). */
static ntt_addr_t sequential_ipv4(uint32_t i)
{
    ntt_addr_t a;
    uint32_t v = (11u << 24) + i;

    memset(&a, 0, sizeof a);
    a.bytes[0] = (uint8_t)(v >> 24);
    a.bytes[1] = (uint8_t)(v >> 16);
    a.bytes[2] = (uint8_t)(v >> 8);
    a.bytes[3] = (uint8_t)v;
    return a;
}

static void test_same_key_same_value_anywhere(void **state)
{
    unsigned char buffer[64 + 8];
    ntt_addr_t a = sequential_ipv4(12345);

    (void)state;
    /* At every alignment, for every length a table uses. */
    for (size_t len = 0; len <= 40; len++) {
        unsigned char key[40];

        for (size_t i = 0; i < len; i++)
            key[i] = (unsigned char)(i * 37 + len);
        for (size_t shift = 0; shift < 8; shift++) {
            memcpy(buffer + shift, key, len);
            assert_true(ntt_hash_bytes(buffer + shift, len, 7) == ntt_hash_bytes(key, len, 7));
        }
    }
    assert_true(ntt_hash_bytes(&a, sizeof a, NTT_HASH_DEFAULT_SEED) ==
                ntt_hash_bytes(&a, sizeof a, ntt_hash_seed_or_default(0)));
}

static void test_length_and_every_byte_count(void **state)
{
    unsigned char key[40] = { 0 };

    (void)state;
    /* Zero padding must not make "ab" and "ab\0" the same key. */
    for (size_t len = 0; len < 40; len++)
        assert_true(ntt_hash_bytes(key, len, 1) != ntt_hash_bytes(key, len + 1, 1));
    /* A change in any byte of a 40-byte flow key changes the value. */
    for (size_t i = 0; i < sizeof key; i++) {
        uint64_t before = ntt_hash_bytes(key, sizeof key, 1);

        key[i] ^= 1;
        assert_true(ntt_hash_bytes(key, sizeof key, 1) != before);
        key[i] ^= 1;
    }
}

static void test_seed_changes_values(void **state)
{
    unsigned same = 0;

    (void)state;
    for (uint32_t i = 0; i < 1000; i++) {
        ntt_addr_t a = sequential_ipv4(i);

        same += (uint32_t)ntt_hash_bytes(&a, sizeof a, 1) ==
                (uint32_t)ntt_hash_bytes(&a, sizeof a, 2);
    }
    /* Independent 32-bit values agree by chance once in 4 billion. */
    assert_true(same == 0);
}

/* Chi-square of n keys over 2^bits buckets of the low bits. */
static double low_bits_chi_square(unsigned bits, uint32_t n, uint64_t seed)
{
    uint32_t buckets = 1u << bits;
    uint32_t *count = calloc(buckets, sizeof *count);
    double expected = (double)n / buckets, chi = 0;

    for (uint32_t i = 0; i < n; i++) {
        ntt_addr_t a = sequential_ipv4(i);

        count[ntt_hash_bytes(&a, sizeof a, seed) & (buckets - 1)]++;
    }
    for (uint32_t b = 0; b < buckets; b++)
        chi += ((double)count[b] - expected) * ((double)count[b] - expected) / expected;
    free(count);
    return chi;
}

static void test_low_bits_spread_sequential_ipv4(void **state)
{
    (void)state;
    /* For k = buckets - 1 degrees of freedom the statistic of a uniform
     * hash is k +- sqrt(2k); the bounds are k + 5 sqrt(2k) (a chance of
     * about 3e-7 to fail by luck) -- a word hash whose low bits ignore
     * the last octet lands at many times k. */
    for (unsigned bits = 4; bits <= 16; bits += 4) {
        double k = (double)((1u << bits) - 1);
        double chi = low_bits_chi_square(bits, 1u << 18, NTT_HASH_DEFAULT_SEED);

        assert_true(chi < k + 5 * sqrt(2 * k));
        assert_true(chi > k - 5 * sqrt(2 * k));
        chi = low_bits_chi_square(bits, 1u << 18, 99);
        assert_true(chi < k + 5 * sqrt(2 * k));
    }
}

static void test_last_octet_alone_reaches_low_bits(void **state)
{
    uint32_t seen[256] = { 0 };
    unsigned distinct = 0;

    (void)state;
    /* 256 addresses differing only in the last octet, into 256 buckets:
     * a random function fills 256 (1 - 1/e) = 162 of them on average
     * (standard deviation about 5). */
    for (uint32_t i = 0; i < 256; i++) {
        ntt_addr_t a = sequential_ipv4(i);

        seen[ntt_hash_bytes(&a, sizeof a, NTT_HASH_DEFAULT_SEED) & 255]++;
    }
    for (unsigned b = 0; b < 256; b++)
        distinct += seen[b] != 0;
    assert_true(distinct >= 140 && distinct <= 185);
}

static void test_avalanche(void **state)
{
    double total = 0;
    unsigned flips = 0;

    (void)state;
    /* Flipping one input bit flips each output bit with probability 1/2:
     * 32 of 64 on average over 128 x 100 trials (+- 0.05). */
    for (uint32_t i = 0; i < 100; i++) {
        ntt_addr_t a = sequential_ipv4(i * 7919);
        uint64_t h = ntt_hash_bytes(&a, sizeof a, 5);

        for (unsigned bit = 0; bit < 128; bit++) {
            ntt_addr_t b = a;

            b.bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            total += __builtin_popcountll(h ^ ntt_hash_bytes(&b, sizeof b, 5));
            flips++;
        }
    }
    assert_true(total / flips > 31.5 && total / flips < 32.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_key_same_value_anywhere),
        cmocka_unit_test(test_length_and_every_byte_count),
        cmocka_unit_test(test_seed_changes_values),
        cmocka_unit_test(test_low_bits_spread_sequential_ipv4),
        cmocka_unit_test(test_last_octet_alone_reaches_low_bits),
        cmocka_unit_test(test_avalanche),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
