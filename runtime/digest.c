/* runtime/digest.c - SHA-256 through libcrypto (see digest.h). */
#define OPENSSL_API_COMPAT 0x10100000L   /* the SHA256_* calls, without deprecation noise */
#include "runtime/digest.h"

#include <openssl/sha.h>

void aip_sha256(const void *buf, size_t len, unsigned char out[32])
{
    /* SHA256() goes through EVP_Q_digest and a provider fetch in OpenSSL 3;
     * the low-level calls run the same implementation without it. */
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, buf, len);
    SHA256_Final(out, &ctx);
}

void aip_sha256_hex(const unsigned char digest[32], char hex[65])
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < 32; i++) {
        hex[2 * i] = hx[digest[i] >> 4];
        hex[2 * i + 1] = hx[digest[i] & 15];
    }
    hex[64] = '\0';
}
