# Makefile - one non-recursive build for aip.
#
#   make                      build bin/aip
#   make test                 build and run every test (unit, golden, policy)
#   make demo                 evaluate the shipped example
#   make SANITIZER=address,undefined test   the suite under ASan+UBSan (own build dir)
#   make golden-update        rewrite expected golden outputs (review the diff!)
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
LIBS    = -lyaml -lpcre2-8 -lcrypto -lm
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

.PHONY: all test unit golden policy-test demo deps golden-update install clean check-headers
# Keep test objects (make would delete them as intermediates of the link rule).
.SECONDARY:
all: $(BIN)

# ---- generated front end ---------------------------------------------------
$(GEN_PARSER): lang/parser.y
	@mkdir -p $(dir $@)
	@echo "  BISON   $<"
	$(Q)$(BISON) -Wall -Wcounterexamples -Werror -d -o $@ $<

$(GEN_LEXER): lang/lexer.l $(GEN_PARSER)
	@mkdir -p $(dir $@)
	@echo "  FLEX    $<"
	$(Q)$(FLEX) --header-file=$(B)/lang/lexer.h -o $@ $<

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
$(GEN_STDLIB): $(STDLIB_FILES) scripts/embed.sh
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

golden-update: $(BIN)
	@UPDATE=1 sh tests/golden/run.sh $(BIN)

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh scripts/demo.sh $(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/aip

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%.d)
