/* tests/fuzz/fuzz_yaml.c - bytes as YAML facts (see fuzz_facts.h). */
#define FZ_FORMAT FACTS_YAML
#define FZ_NAME "fuzz.yaml"
#include "fuzz_facts.h"
