/* fuzz-driver.c
 * Runs the fuzz target without libFuzzer: a fixed number of inputs from a
 * fixed seed (the same every run, so a failure reproduces), plus any files
 * named on the command line. Built with the sanitizers for CTest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t next_random(uint64_t *state)
{
    /* splitmix64: good enough spread, fully reproducible. */
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    uint64_t seed = 20261124;
    unsigned runs = 3000;
    uint8_t *buf = malloc(16 * 1024);

    for (int i = 1; i < argc; i++) {
        gchar *contents;
        gsize length;

        if (!g_file_get_contents(argv[i], &contents, &length, NULL)) {
            fprintf(stderr, "fuzz-driver: cannot read %s\n", argv[i]);
            return 2;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)contents, length);
        g_free(contents);
    }
    for (unsigned run = 0; run < runs; run++) {
        size_t size = next_random(&seed) % (16 * 1024);

        for (size_t i = 0; i < size; i++)
            buf[i] = (uint8_t)next_random(&seed);
        LLVMFuzzerTestOneInput(buf, size);
    }
    free(buf);
    printf("fuzz-driver: %u generated inputs, %d files: no fault\n",
           runs, argc - 1);
    return 0;
}
