/* runtime/version.h - the aip version string.
 *
 * Quoted by every report (the JSON report's tool.version) and by `aip
 * --version`. It is the release's semantic version; it is not a build id
 * (no commit hash, no date), so reports stay reproducible.
 */
#ifndef AIP_RUNTIME_VERSION_H
#define AIP_RUNTIME_VERSION_H

#define AIP_VERSION "0.1.0"

#endif
