/* runtime/uuid.c - version 5 UUIDs through libcrypto's SHA-1 (see uuid.h). */
#define OPENSSL_API_COMPAT 0x10100000L   /* the SHA1_* calls, without deprecation noise */
#include "runtime/uuid.h"

#include <openssl/sha.h>

/* RFC 9562 Appendix A (6ba7b810-9dad-11d1-80b4-00c04fd430c8 and ...11). */
const aip_uuid aip_uuid_ns_dns = {{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                   0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}};
const aip_uuid aip_uuid_ns_url = {{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                   0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}};

aip_uuid aip_uuid5_parts(const aip_uuid *ns, size_t n, const char *const part[], const size_t len[])
{
    /* SHA1() goes through EVP and a provider fetch in OpenSSL 3; the
     * low-level calls run the same implementation without it (as digest.c). */
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA_CTX ctx;
    SHA1_Init(&ctx);
    SHA1_Update(&ctx, ns->b, sizeof ns->b);
    for (size_t i = 0; i < n; i++)
        if (part[i] && len[i])
            SHA1_Update(&ctx, part[i], len[i]);
    SHA1_Final(md, &ctx);

    aip_uuid u;
    for (int i = 0; i < 16; i++)
        u.b[i] = md[i];
    u.b[6] = (unsigned char)((u.b[6] & 0x0F) | 0x50);   /* version 5 */
    u.b[8] = (unsigned char)((u.b[8] & 0x3F) | 0x80);   /* variant 10 */
    return u;
}

aip_uuid aip_uuid5(const aip_uuid *ns, const void *name, size_t len)
{
    const char *part[1] = { name };
    return aip_uuid5_parts(ns, 1, part, &len);
}

void aip_uuid_format(const aip_uuid *u, char out[AIP_UUID_TEXT + 1])
{
    static const char hx[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hx[u->b[i] >> 4];
        out[o++] = hx[u->b[i] & 15];
    }
    out[o] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int aip_uuid_parse(const char *s, aip_uuid *out)
{
    aip_uuid u;
    size_t i = 0;
    if (!s)
        return -1;
    for (int k = 0; k < 16; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10) {
            if (s[i] != '-')
                return -1;
            i++;
        }
        int hi = hexval(s[i]), lo = hi < 0 ? -1 : hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        u.b[k] = (unsigned char)(hi << 4 | lo);
        i += 2;
    }
    if (s[i] != '\0')
        return -1;
    *out = u;
    return 0;
}
