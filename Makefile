# Makefile - one non-recursive build for aip.
#
#   make                      build bin/aip
#   make test                 build and run every test (unit, golden, policy)
#   make demo                 evaluate the shipped example
#   make SANITIZER=address,undefined test   the suite under ASan+UBSan (own build dir)
#   make bench                the performance benchmark (bench/run.sh, docs/performance.md)
#   make golden-update        rewrite expected golden outputs (review the diff!)
#   make fuzz FUZZ_SECONDS=N  libFuzzer harnesses (clang), N seconds each (build/fuzz/);
#                             FUZZ_SEED=N fixes the random seed (0, the default: random)
#   make install PREFIX=/usr/local
#   V=1                       show full commands
#
# Objects go to build/$(CONFIG)/, never beside the sources. `make demo` and
# `make test` first check the Debian build dependencies (scripts/deps.sh) and
# install what is missing when they can.

CC        ?= cc
FLEX      ?= flex
BISON     ?= bison
PREFIX    ?= /usr/local
SANITIZER ?=

STD   = -std=c11 -D_POSIX_C_SOURCE=200809L
WARN  = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wwrite-strings -Wundef -Wno-error=deprecated-declarations
OPT   ?= -O2
DBG   ?= -g
INC   = -I. -I$(B)

ifeq ($(SANITIZER),)
  CONFIG = release
  SAN =
else ifeq ($(SANITIZER),address,undefined)
  CONFIG = san
  SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  OPT = -O1
else ifeq ($(SANITIZER),address)
  CONFIG = asan
  SAN = -fsanitize=address -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZER),undefined)
  CONFIG = ubsan
  SAN = -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
  $(error SANITIZER must be empty, address, undefined or address,undefined)
endif

B       = build/$(CONFIG)
CFLAGS_ALL = $(STD) $(WARN) $(OPT) $(DBG) $(SAN) $(INC) $(CFLAGS) -MMD -MP
# libcrypto (SHA-256 only), libyaml and libpcre2 are linked statically when
# their archives are installed (the Debian -dev packages ship them): resolving
# the shared libraries' symbols at start-up took about 4 million cycles for
# libcrypto, half of a small `aip eval`, and 54,000 instructions more for
# libyaml and libpcre2 (docs/performance.md); the archives add about 700 kB.
# The trade-off: a security update of one of them needs aip rebuilt. Without
# an archive the shared library is used.
comma := ,
static_or_shared = $(if $(filter-out lib$(1).a,$(shell $(CC) -print-file-name=lib$(1).a)),-Wl$(comma)-Bstatic -l$(1) -Wl$(comma)-Bdynamic,-l$(1))
LIBS    = $(call static_or_shared,yaml) $(call static_or_shared,pcre2-8) $(call static_or_shared,crypto) -lm
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

ifeq ($(V),1)
  Q =
else
  Q = @
endif

# ---- sources ---------------------------------------------------------------
LANG_SRC     = $(wildcard lang/*.c)
COMPILER_SRC = $(wildcard compiler/*.c)
RUNTIME_SRC  = $(wildcard runtime/*.c)
CLI_SRC      = $(wildcard cli/*.c)
STDLIB_FILES = $(sort $(wildcard stdlib/*.aip)) stdlib/csf-2.0.tsv stdlib/ir8596.tsv

GEN_PARSER   = $(B)/lang/parser.c
GEN_LEXER    = $(B)/lang/lexer.c
GEN_STDLIB   = $(B)/stdlib/stdlib_data.c

LIB_OBJ = $(LANG_SRC:%.c=$(B)/%.o) $(COMPILER_SRC:%.c=$(B)/%.o) $(RUNTIME_SRC:%.c=$(B)/%.o) \
          $(B)/lang/parser.o $(B)/lang/lexer.o $(B)/stdlib/stdlib_data.o
CLI_OBJ = $(CLI_SRC:%.c=$(B)/%.o)

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

BIN = bin/aip
ifneq ($(CONFIG),release)
  BIN = $(B)/bin/aip
endif

.PHONY: all test unit golden policy-test demo deps golden-update install clean check-headers bench fuzz fuzz-build lint valgrind fmt-check fmt
# Keep test objects (make would delete them as intermediates of the link rule).
.SECONDARY:
all: $(BIN)

# ---- generated front end ---------------------------------------------------
# Pattern rules over build/<config>/, so every config (and build/fuzz) gets its
# own generated parser, lexer and embedded stdlib from the same recipe.
build/%/lang/parser.c: lang/parser.y
	@mkdir -p $(dir $@)
	@echo "  BISON   $<"
	$(Q)$(BISON) -Wall -Wcounterexamples -Werror -d -o $@ $<

build/%/lang/lexer.c: lang/lexer.l build/%/lang/parser.c
	@mkdir -p $(dir $@)
	@echo "  FLEX    $<"
	$(Q)$(FLEX) --header-file=$(dir $@)lexer.h -o $@ $<

# flex/bison output may relax warnings; nothing else may.
GEN_RELAX = -Wno-unused-function -Wno-unused-parameter -Wno-sign-compare \
            -Wno-missing-prototypes -Wno-shadow -Wno-unused-but-set-variable
$(B)/lang/parser.o: $(GEN_PARSER) | $(GEN_LEXER)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) $(GEN_RELAX) -c -o $@ $<
$(B)/lang/lexer.o: $(GEN_LEXER)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) $(GEN_RELAX) -c -o $@ $<

# ---- stdlib compiled into the binary ----------------------------------------
build/%/stdlib/stdlib_data.c: $(STDLIB_FILES) scripts/embed.sh
	@mkdir -p $(dir $@)
	@echo "  EMBED   stdlib"
	$(Q)sh scripts/embed.sh $(STDLIB_FILES) > $@.tmp && mv $@.tmp $@
$(B)/stdlib/stdlib_data.o: $(GEN_STDLIB)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# ---- objects ------------------------------------------------------------------
$(B)/%.o: %.c | $(GEN_PARSER) $(GEN_LEXER)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(B)/libaip.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(B)/libaip.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(B)/libaip.a $(LIBS)

$(B)/tests/%: $(B)/tests/unit/%.o $(B)/libaip.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(B)/libaip.a $(LIBS) -lcmocka

# ---- tests -----------------------------------------------------------------------
deps:
	@sh scripts/deps.sh

test: deps
	@sh scripts/test-deps.sh
	@$(MAKE) --no-print-directory check-headers $(UNIT_BIN) $(BIN)
	@$(MAKE) --no-print-directory fmt-check
	@sh tests/run-all.sh $(BIN) $(UNIT_BIN)

# Every header compiles on its own (no hidden include-order dependencies).
HEADERS = $(wildcard lang/*.h compiler/*.h runtime/*.h cli/*.h)
check-headers: $(GEN_PARSER) $(GEN_LEXER)
	@for h in $(HEADERS); do \
	    printf '#include "%s"\n' "$$h" | $(CC) $(STD) $(WARN) $(INC) -fsyntax-only -x c - || { echo "header $$h does not compile alone"; exit 1; }; \
	done; echo "headers: $(words $(HEADERS)) compile on their own"

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

golden: $(BIN)
	@sh tests/golden/run.sh $(BIN)

policy-test: $(BIN)
	@sh tests/run-policy-tests.sh $(BIN)

# Every .aip file of the repo is in canonical layout (docs/fmt.md), but for
# test inputs kept as they are on purpose: tests/fuzz/ (fuzzer seeds) and the
# golden groups fmt/ (deliberately messy), errors/ (syntax errors, positions
# that expected outputs quote) and limits/ (one-line layouts at a limit).
FMT_FILES = $(shell find . -name '*.aip' -not -path './build/*' -not -path './.tools/*' \
    -not -path './tests/fuzz/*' -not -path './tests/golden/fmt/*' \
    -not -path './tests/golden/errors/*' -not -path './tests/golden/limits/*' | sed 's|^\./||' | sort)
fmt-check: $(BIN)
	@$(BIN) fmt --check $(FMT_FILES) || { echo "fmt-check: run 'make fmt' (bin/aip fmt -w on these files)"; exit 1; }
	@echo "fmt-check: $(words $(FMT_FILES)) files in canonical layout"

fmt: $(BIN)
	@$(BIN) fmt -w $(FMT_FILES)

golden-update: $(BIN)
	@UPDATE=1 sh tests/golden/run.sh $(BIN)

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh scripts/demo.sh $(BIN)

# Static analysis: cppcheck and clang-tidy (checks and the reason for each
# exclusion in .clang-tidy) over every hand-written module; no findings allowed.
TIDY_SRC = $(LANG_SRC) $(COMPILER_SRC) $(RUNTIME_SRC) $(CLI_SRC)
lint: $(GEN_PARSER) $(GEN_LEXER)
	@command -v cppcheck >/dev/null || { echo "lint needs cppcheck: apt-get install cppcheck"; exit 1; }
	@command -v clang-tidy >/dev/null || { echo "lint needs clang-tidy: apt-get install clang-tidy"; exit 1; }
	cppcheck --quiet --enable=warning,portability --inline-suppr --error-exitcode=1 \
	    -I. -I$(B) --std=c11 -D_POSIX_C_SOURCE=200809L lang compiler runtime cli
	@echo "  TIDY    $(words $(TIDY_SRC)) files"
	@printf '%s\n' $(TIDY_SRC) | xargs -P2 -I{} clang-tidy --quiet {} -- \
	    $(STD) $(INC) 2>/dev/null || { echo "lint: clang-tidy findings (above)"; exit 1; }

# The golden suite under valgrind memcheck: no error, no leak.
valgrind: $(BIN)
	@command -v valgrind >/dev/null || { echo "valgrind needs valgrind: apt-get install valgrind"; exit 1; }
	@VALGRIND="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
	    sh tests/golden/run.sh $(BIN)

# ---- benchmark: bench/run.sh prints the table of docs/performance.md ----------
build/bench/libyaml-parse: bench/libyaml-parse.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $< -lyaml

bench: $(BIN) build/bench/libyaml-parse
	@sh bench/run.sh $(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/aip
	install -m 644 docs/man/aip.1 $(DESTDIR)$(PREFIX)/share/man/man1/aip.1

# ---- fuzzing (libFuzzer, clang) ----------------------------------------------
# The library is rebuilt with clang into build/fuzz/ with coverage hooks
# (fuzzer-no-link) and ASan+UBSan; each harness tests/fuzz/fuzz_<t>.c links
# the fuzzer runtime (Debian: libclang-rt-14-dev). `make fuzz` runs each one
# FUZZ_SECONDS on its checked-in seeds (tests/fuzz/corpus/<t>/) and a kept
# working corpus (build/fuzz/corpus/<t>/); crashes land in build/fuzz/.
# See docs/fuzzing.md.
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 0
FUZZ_CC      ?= clang
FZ           = build/fuzz
FZ_TARGETS   = policy bundle json yaml params waivers
FZ_SAN       = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FZ_CFLAGS    = $(STD) $(WARN) -g -O1 $(FZ_SAN) -I. -I$(FZ) -MMD -MP
FZ_LIB_OBJ   = $(LANG_SRC:%.c=$(FZ)/%.o) $(COMPILER_SRC:%.c=$(FZ)/%.o) $(RUNTIME_SRC:%.c=$(FZ)/%.o) \
               $(FZ)/lang/parser.o $(FZ)/lang/lexer.o $(FZ)/stdlib/stdlib_data.o
FZ_BIN       = $(FZ_TARGETS:%=$(FZ)/fuzz_%)
# Longest input per target, and its dictionary.
FZ_MAXLEN_policy = 16384
FZ_MAXLEN_bundle = 16384
FZ_MAXLEN_json   = 16384
FZ_MAXLEN_yaml   = 16384
FZ_MAXLEN_params = 4096
FZ_MAXLEN_waivers = 4096
FZ_DICT_policy   = tests/fuzz/dict/aip.dict
FZ_DICT_bundle   = tests/fuzz/dict/bundle.dict
FZ_DICT_json     = tests/fuzz/dict/json.dict
FZ_DICT_yaml     = tests/fuzz/dict/yaml.dict
FZ_DICT_params   = tests/fuzz/dict/yaml.dict
FZ_DICT_waivers  = tests/fuzz/dict/yaml.dict

$(FZ)/lang/parser.o $(FZ)/lang/lexer.o: $(FZ)/%.o: $(FZ)/%.c | $(FZ)/lang/lexer.c
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FZ_CFLAGS) $(GEN_RELAX) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FZ)/stdlib/stdlib_data.o: $(FZ)/stdlib/stdlib_data.c
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FZ)/%.o: %.c | $(FZ)/lang/parser.c $(FZ)/lang/lexer.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FZ_CFLAGS) -fsanitize=fuzzer-no-link -DAIP_SRCDIR='"$(CURDIR)"' -c -o $@ $<
$(FZ)/libaip.a: $(FZ_LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
$(FZ)/fuzz_%: $(FZ)/tests/fuzz/fuzz_%.o $(FZ)/libaip.a
	@echo "  LINK    $@"
	$(Q)$(FUZZ_CC) $(FZ_SAN) -fsanitize=fuzzer -o $@ $< $(FZ)/libaip.a $(LIBS)

fuzz-build: $(FZ_BIN)

define FZ_RUN
	@mkdir -p $(FZ)/corpus/$(1)
	@echo "  FUZZ    $(1) ($(FUZZ_SECONDS)s, log $(FZ)/$(1).log)"
	$(Q)$(FZ)/fuzz_$(1) $(FZ)/corpus/$(1) tests/fuzz/corpus/$(1) -dict=$(FZ_DICT_$(1)) \
	    -max_len=$(FZ_MAXLEN_$(1)) -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FZ)/$(1)- >$(FZ)/$(1).log 2>&1 \
	    || { tail -n 60 $(FZ)/$(1).log; echo "fuzz: $(1) failed"; exit 1; }
	@sed -n 's/^stat::number_of_executed_units: */          executions: /p' $(FZ)/$(1).log

endef
fuzz: fuzz-build
	$(foreach t,$(FZ_TARGETS),$(call FZ_RUN,$(t)))
clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%.d)
-include $(FZ_LIB_OBJ:.o=.d) $(FZ_TARGETS:%=$(FZ)/tests/fuzz/fuzz_%.d)
