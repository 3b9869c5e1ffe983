#!/bin/sh
# Build newlib (the C library of ExOS programs) from Debian's newlib-source,
# for bare-metal little-endian MIPS32r2, hard float, into $1 (default
# build/newlib).  Runs once: the Makefile calls it only when $1/lib/libc.a is
# missing.  Facts behind each flag are in ../shared/PLATFORM.md.
set -eu

OUT=$(realpath -m "${1:-build/newlib}")
SRC_TAR=/usr/src/newlib/newlib-3.3.0.tar.xz
WORK="$OUT/work"
BIN="$OUT/bin"

[ -f "$SRC_TAR" ] || { echo "build-newlib: $SRC_TAR missing (package newlib-source)" >&2; exit 1; }
rm -rf "$WORK" "$BIN"
mkdir -p "$WORK" "$BIN"

# newlib's configure looks for mipsel-elf-* tools (and its machine/ sub-
# configures fall back to the host's gcc unless CC and friends are given).  Debian ships the
# mipsel-linux-gnu-* ones; thin wrappers give them the bare-metal names.  The
# compiler wrapper forces the bare-metal code model and hides the Linux
# predefined macros and the glibc cross headers, which would otherwise leak in.
GCC_INC=$(mipsel-linux-gnu-gcc -print-file-name=include)
# -ffile-prefix-map: newlib's assert messages name their source file, and
# the programs carry those strings; without it they would carry the folder
# the project was cloned into, and a clone elsewhere would lay out (and
# measure) differently.
cat > "$BIN/mipsel-elf-gcc" <<WRAP
#!/bin/sh
exec mipsel-linux-gnu-gcc -march=mips32r2 -EL -G0 -mno-abicalls -fno-pic -fno-pie \\
    -U__linux__ -U__linux -Ulinux -U__unix__ -U__unix -Uunix -U__gnu_linux__ \\
    -ffile-prefix-map="$WORK"=newlib \\
    -nostdinc -isystem "$GCC_INC" "\$@"
WRAP
chmod +x "$BIN/mipsel-elf-gcc"
ln -sf mipsel-elf-gcc "$BIN/mipsel-elf-cc"
for t in ar as ld nm ranlib objdump objcopy strip readelf; do
    ln -sf "$(command -v mipsel-linux-gnu-$t)" "$BIN/mipsel-elf-$t"
done

cd "$WORK"
tar xf "$SRC_TAR"
NL=$(ls -d "$WORK"/newlib-*/newlib)

# For mips*-elf newlib defines MISSING_SYSCALL_NAMES, which makes libc call
# write()/sbrk() instead of _write()/_sbrk().  ExOS provides the underscored
# names (the newlib convention for a system-call layer), so drop the define.
sed -i '/mips\*-\*-elf\*)/,/;;/s/ -DMISSING_SYSCALL_NAMES//' "$NL/configure.host"

mkdir build && cd build
PATH="$BIN:$PATH" "$NL/configure" \
    --host=mipsel-elf --target=mipsel-elf --prefix="$OUT" \
    --disable-multilib --disable-newlib-supplied-syscalls \
    --enable-newlib-reent-small --enable-newlib-io-long-long \
    CC=mipsel-elf-gcc AS=mipsel-elf-as AR=mipsel-elf-ar RANLIB=mipsel-elf-ranlib \
    LD=mipsel-elf-ld NM=mipsel-elf-nm CFLAGS="-O2 -g" > "$OUT/configure.log" 2>&1 \
    || { echo "build-newlib: configure failed, see $OUT/configure.log" >&2; exit 1; }
PATH="$BIN:$PATH" make -j"$(nproc)" > "$OUT/make.log" 2>&1 \
    || { echo "build-newlib: make failed, see $OUT/make.log" >&2; exit 1; }
PATH="$BIN:$PATH" make install > "$OUT/install.log" 2>&1 \
    || { echo "build-newlib: install failed, see $OUT/install.log" >&2; exit 1; }

# make install puts headers and libraries under $OUT/mipsel-elf/; name them
# once here so the Makefile does not need to know.
ln -sfn mipsel-elf/include "$OUT/include"
ln -sfn mipsel-elf/lib "$OUT/lib"
rm -rf "$WORK"
echo "build-newlib: libc.a and libm.a in $OUT/lib"
