/* runtime/json_plain.h - the test that lets JSON strings be scanned eight
 * bytes at a time, shared by the JSON facts parser (runtime/facts_json.c)
 * and the JSON writer (runtime/json_out.c). */
#ifndef AIP_RUNTIME_JSON_PLAIN_H
#define AIP_RUNTIME_JSON_PLAIN_H

#include <stdint.h>
#include <string.h>

/* Whether the 8 bytes at s are all plain inside a JSON string: none is a
 * control character, '"', '\\' or a byte >= 0x80 (UTF-8, checked one sequence
 * at a time by the caller). Word arithmetic: a byte below 0x20, or equal to
 * '"' or '\\' once xored to zero, sets its high bit in one of the masks. */
static inline int json_plain8(const unsigned char *s)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t x;
    memcpy(&x, s, sizeof x);
    uint64_t quote = x ^ (ones * '"'), bslash = x ^ (ones * '\\');
    uint64_t below = (x - ones * 0x20) & ~x;
    uint64_t zq = (quote - ones) & ~quote, zb = (bslash - ones) & ~bslash;
    return ((below | zq | zb | x) & high) == 0;
}

#endif
