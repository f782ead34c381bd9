/* tests/fuzz/fuzz_json.c - bytes as JSON facts (see fuzz_facts.h). */
#define FZ_FORMAT FACTS_JSON
#define FZ_NAME "fuzz.json"
#include "fuzz_facts.h"
