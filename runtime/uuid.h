/* runtime/uuid.h - name-based UUIDs (version 5, SHA-1), for reports whose
 * identifiers must be the same every time the same inputs are evaluated.
 *
 * What it is: RFC 9562 section 5.5 (formerly RFC 4122 section 4.3): the
 * SHA-1 of a namespace UUID followed by a name, cut to 128 bits, with the
 * version (5) and variant (10) bits set. SHA-1 comes from OpenSSL's
 * libcrypto, never a hand-written digest. OSCAL accepts only version 4 and 5
 * UUIDs, and version 4 is random, so deterministic OSCAL ids are these.
 *
 * What it is not: a random or time-based UUID generator (there is none in
 * aip: reports are reproducible), and not a secret: anyone who knows the
 * namespace and the name computes the same UUID.
 */
#ifndef AIP_RUNTIME_UUID_H
#define AIP_RUNTIME_UUID_H

#include <stddef.h>

typedef struct aip_uuid { unsigned char b[16]; } aip_uuid;

/* Length of the text form "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" (no NUL). */
enum { AIP_UUID_TEXT = 36 };

/* The RFC 9562 namespaces for DNS names and URLs. */
extern const aip_uuid aip_uuid_ns_dns;
extern const aip_uuid aip_uuid_ns_url;

/* The version 5 UUID of name[0..len) in namespace ns. Cannot fail. */
aip_uuid aip_uuid5(const aip_uuid *ns, const void *name, size_t len);

/* The same for a name given as n pieces (the name is their concatenation,
 * with nothing between them); a NULL piece counts as empty. */
aip_uuid aip_uuid5_parts(const aip_uuid *ns, size_t n, const char *const part[], const size_t len[]);

/* Lower-case text form into out[AIP_UUID_TEXT + 1], NUL-terminated. */
void aip_uuid_format(const aip_uuid *u, char out[AIP_UUID_TEXT + 1]);

/* Parse the text form (either case); 0, or -1 when s is not one. */
int aip_uuid_parse(const char *s, aip_uuid *out);

#endif
