# Aegis/ExOS for MIPS - the build.
#
#   make run     boot the system under QEMU (Ctrl-A X quits)
#   make test    install what is missing, build, run every test
#   make gdb     boot halted under QEMU's gdb stub and attach gdb-multiarch
#   make fuzz    a long run of the system-call fuzzer (SEED=, CALLS=)
#
# Everything is built under build/.  The cross tools and QEMU come from
# Debian's packages; scripts/setup.sh installs them when they are missing.

BUILD   := build
CROSS   := mipsel-linux-gnu-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJDUMP := $(CROSS)objdump

# The kernel: bare-metal MIPS32r2 little endian, no PIC, no small-data
# section, no FPU, no libc (../shared/PLATFORM.md).  -nostdinc plus gcc's own
# include folder keeps the glibc cross headers out; stdint.h, stdarg.h and
# stddef.h come from gcc itself.  Evaluated lazily: the compiler may not be
# installed until the setup step has run.
GCC_INC  = $(shell $(CC) -print-file-name=include)
# -ffile-prefix-map: no build path in any image, so that a clone in another
# folder builds the same bytes (and measures the same figures).
ARCH     := -march=mips32r2 -EL -G0 -mno-abicalls -fno-pic -ffile-prefix-map=$(CURDIR)/=
KCFLAGS  = $(ARCH) -msoft-float -ffreestanding -fno-builtin -nostdinc \
           -isystem $(GCC_INC) -Iaegis -O2 -g -std=gnu11 \
           -Wall -Wextra -Werror
KLDFLAGS := -EL -nostdlib -T mips.ld

KSRC_C   := $(wildcard aegis/*.c)
KSRC_S   := $(wildcard aegis/*.S)
KOBJ     := $(patsubst %.c,$(BUILD)/%.o,$(KSRC_C)) $(patsubst %.S,$(BUILD)/%.o,$(KSRC_S)) \
            $(BUILD)/images.o

# The test kernel: the same objects, main.c rebuilt with KTEST so it runs the
# in-guest self-tests of test/kernel/ instead of its normal last step.
KTEST_SRC := $(wildcard test/kernel/*.c test/kernel/*.S)
KTEST_OBJ := $(filter-out $(BUILD)/aegis/main.o,$(KOBJ)) $(BUILD)/aegis/main-ktest.o \
             $(patsubst %,$(BUILD)/%.o,$(basename $(KTEST_SRC)))

NEWLIB   := $(BUILD)/newlib

# ExOS and the programs linked with it: user mode, hard float (Debian's
# libgcc is hard-float), newlib's headers instead of the host's.
UCFLAGS   = $(ARCH) -O2 -g -std=gnu11 -Wall -Wextra -Werror -nostdinc \
            -isystem $(NEWLIB)/include -isystem $(GCC_INC) -Iaegis -Iexos \
            -U__linux__ -U__linux -Ulinux -U__unix__ -U__unix -Uunix -U__gnu_linux__
LIBGCC    = $(shell $(CC) -print-libgcc-file-name)
# The page-table formats are not in the library: each program links one
# (pt_2level by default; a program saying "exos-pagetable: hash" in its
# source gets pt_hash).
EXOS_SRC  := $(filter-out exos/pt_%.c,$(wildcard exos/*.c exos/*.S))
EXOS_OBJ  := $(patsubst %,$(BUILD)/%.o,$(basename $(EXOS_SRC)))
PT_OBJ    = $(BUILD)/exos/pt_$(if $(shell grep -l 'exos-pagetable: hash' $(1)),hash,2level).o
PROGS     := $(patsubst userland/%.c,%,$(wildcard userland/*.c))
PROG_ELF  := $(patsubst %,$(BUILD)/userland/%.elf,$(PROGS))

# QEMU: the Malta board with its default 24Kf CPU.  -no-reboot turns the
# kernel's GORESET into an exit.
QEMU      := qemu-system-mipsel -M malta -m 128 -display none -no-reboot -nic none -vga none
# Deterministic time for tests and measurements: one guest instruction per
# ns of virtual time, virtual time never waits for the host.
ICOUNT    := -icount shift=0,sleep=off
# The capability key (docs/security.md): 128 bits from the host's
# /dev/urandom for every boot, since the board has no random-number device
# of its own.  CAPKEY=<32 hex digits> fixes it to reproduce a run exactly.
CAPKEY    ?= $(shell od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

.PHONY: all run test gdb run-gdb setup clean host-tests bench fuzz

# Keep the objects the pattern rules chain through (make would delete them
# at the end, after the test summary line).
.PRECIOUS: $(BUILD)/userland/%.o $(BUILD)/exos/%.o

all: $(BUILD)/aegis.elf $(BUILD)/aegis-test.elf $(NEWLIB)/lib/libc.a

# Installs missing host packages; cheap when nothing is missing.  Order-only
# prerequisite of everything that needs a tool, so it runs first, once.
setup:
	@sh scripts/setup.sh

$(BUILD)/aegis/%.o: aegis/%.c | setup
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/aegis/%.o: aegis/%.S | setup
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/exos/%.o: exos/%.c $(NEWLIB)/lib/libc.a
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/exos/%.o: exos/%.S $(NEWLIB)/lib/libc.a
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libexos.a: $(EXOS_OBJ)
	rm -f $@
	$(CROSS)ar rcs $@ $^

$(BUILD)/userland/%.o: userland/%.c $(NEWLIB)/lib/libc.a
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -MMD -MP -c -o $@ $<

# A program: its object, ExOS, newlib and libgcc, in a group because each
# calls into the others (newlib's stdio calls ExOS's _write...).
.SECONDEXPANSION:
$(BUILD)/userland/%.elf: $(BUILD)/userland/%.o $$(call PT_OBJ,userland/%.c) $(BUILD)/libexos.a exos/user.ld
	$(LD) -EL -nostdlib -T exos/user.ld -o $@ $< $(call PT_OBJ,userland/$*.c) \
	    --start-group $(BUILD)/libexos.a \
	    $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a $(LIBGCC) --end-group

# The kernel carries stripped copies: symbols stay in the .elf for gdb
# (kept: make would otherwise delete them as intermediate files).
.SECONDARY: $(PROG_ELF)
$(BUILD)/userland/%.img: $(BUILD)/userland/%.elf
	$(CROSS)strip -o $@ $<

$(BUILD)/images.S: $(PROG_ELF:.elf=.img) scripts/mkimages.sh
	sh scripts/mkimages.sh $(PROG_ELF:.elf=.img) > $@

$(BUILD)/images.o: $(BUILD)/images.S
	$(CC) $(KCFLAGS) -c -o $@ $<

$(BUILD)/aegis/main-ktest.o: aegis/main.c | setup
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DKTEST -MMD -MP -c -o $@ $<

$(BUILD)/test/kernel/%.o: test/kernel/%.c | setup
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DKTEST -MMD -MP -c -o $@ $<

$(BUILD)/test/kernel/%.o: test/kernel/%.S | setup
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DKTEST -MMD -MP -c -o $@ $<

$(BUILD)/aegis.elf: $(KOBJ) mips.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJ)
	$(OBJDUMP) -d $@ > $(BUILD)/aegis.asm

$(BUILD)/aegis-test.elf: $(KTEST_OBJ) mips.ld
	$(LD) $(KLDFLAGS) -o $@ $(KTEST_OBJ)

# newlib, the C library of ExOS programs: built once from Debian's
# newlib-source (about a minute), then reused until `make clean`.
$(NEWLIB)/lib/libc.a: scripts/build-newlib.sh | setup
	sh scripts/build-newlib.sh $(NEWLIB)

# Host unit tests of the kernel's pure logic, with cmocka.
HOST_TESTS := $(patsubst test/host/%.c,$(BUILD)/host/%,$(wildcard test/host/test_*.c))
HOST_CFLAGS := -O1 -g -Wall -Wextra -Werror -std=gnu11 -Iaegis -fsanitize=address,undefined

# Every kernel header is a prerequisite: a test must never run a binary
# built from headers that have since changed.
$(BUILD)/host/test_%: test/host/test_%.c aegis/%.c $(wildcard aegis/*.h) | setup
	@mkdir -p $(dir $@)
	gcc $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

# Capabilities are SipHash outputs: the page table's test links SipHash too.
$(BUILD)/host/test_physmem: aegis/siphash.c

host-tests: $(HOST_TESTS)

# RUN=prog1,prog2 chooses the programs the kernel starts (default: the
# shell).  Under -icount, like every test and benchmark, so that whatever a
# program prints as "instructions" is one.
run: $(BUILD)/aegis.elf
	$(QEMU) $(ICOUNT) -serial mon:stdio -kernel $(BUILD)/aegis.elf \
	    -append "capkey=$(CAPKEY) $(if $(RUN),run=$(RUN))"

test: all host-tests
	@sh test/run.sh

# make bench: Aegis/ExOS and its Linux peer in guest instructions per
# operation, and the report (docs/benchmarks.md).  BENCH_ARGS=--no-linux
# skips the Linux boots.
bench:
	sh scripts/bench.sh $(BENCH_ARGS)

# make fuzz: the system-call fuzzer (userland/t_fuzz.c, which make test runs
# with 100000 calls) for CALLS calls from SEED; TRACE=n prints every call
# from the n-th on, to find the one a panic follows.  Fails on a failed
# check, a panic or a hang (scripts/fuzz.sh).
SEED  ?= 1
CALLS ?= 1000000
fuzz: $(BUILD)/aegis.elf
	@sh scripts/fuzz.sh $(SEED) $(CALLS) $(TRACE)

# make gdb: QEMU waits, halted, for gdb on port 1234; gdb loads the kernel's
# symbols and connects.  Quitting gdb stops QEMU.  PROG=name also loads that
# user program's symbols (every program is linked at 0x00400000, so load one
# at a time) and starts it (RUN defaults to PROG).
run-gdb: $(BUILD)/aegis.elf
	$(QEMU) $(ICOUNT) -serial mon:stdio -S -gdb tcp::1234 -kernel $(BUILD)/aegis.elf -append "capkey=$(CAPKEY)"

GDB_RUN = $(or $(RUN),$(PROG))
gdb: $(BUILD)/aegis.elf
	@$(QEMU) $(ICOUNT) -serial file:$(BUILD)/gdb-console.log -S -gdb tcp::1234 \
	    -kernel $(BUILD)/aegis.elf -append "capkey=$(CAPKEY) $(if $(GDB_RUN),run=$(GDB_RUN))" & \
	gdb-multiarch -q -ex "set architecture mips:isa32r2" -ex "set endian little" \
	    $(if $(PROG),-ex "add-symbol-file $(BUILD)/userland/$(PROG).elf") \
	    -ex "target remote localhost:1234" $(BUILD)/aegis.elf; \
	kill %1 2>/dev/null; true

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
