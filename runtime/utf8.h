/* runtime/utf8.h - UTF-8 well-formedness, shared by every writer that must
 * emit valid UTF-8 whatever the facts held (JSON, XML, Markdown, HTML). */
#ifndef AIP_RUNTIME_UTF8_H
#define AIP_RUNTIME_UTF8_H

#include <stddef.h>

/* The well-formed UTF-8 sequence at s[0..n) (s[0] >= 0x80): returns its
 * length (2..4), or 0 with *bad set to the length of the maximal ill-formed
 * subpart to replace by one U+FFFD (1..3). Rules of RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF. */
size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad);

#endif
