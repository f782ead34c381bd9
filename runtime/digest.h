/* runtime/digest.h - SHA-256 for bundles, facts files and policy sources,
 * from OpenSSL's libcrypto (never a hand-written digest).
 *
 * One place for the call, so the choice of libcrypto interface is made once:
 * SHA256_Init/Update/Final run libcrypto's SHA-256 without the provider fetch
 * that EVP_Digest (and SHA256(), through EVP_Q_digest) does on first use:
 * about 5 million instructions, 45% of a small `aip eval` (callgrind).
 */
#ifndef AIP_RUNTIME_DIGEST_H
#define AIP_RUNTIME_DIGEST_H

#include <stddef.h>

/* SHA-256 of buf[0..len) into out. Cannot fail. */
void aip_sha256(const void *buf, size_t len, unsigned char out[32]);
/* Lower-case hex of a 32-byte digest into hex[65] (NUL-terminated). */
void aip_sha256_hex(const unsigned char digest[32], char hex[65]);

#endif
