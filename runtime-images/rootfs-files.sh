#!/bin/sh
# Used inside the images' build stage: fills a minimal root filesystem with the shared
# libraries the given ELF files need (found with ldd, copied where the loader looks),
# a passwd/group that know only root and nobody, and the directories the host mounts
# over (/tmp, /plugin, /run/logomesh, /data).   Usage: rootfs-files.sh OUT ELF...
set -eu
out=$1; shift
for elf in "$@"; do ldd "$elf"; done \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u \
    | while read -r lib; do
        mkdir -p "$out$(dirname "$lib")"
        cp -L "$lib" "$out$lib"
    done
mkdir -p "$out/etc" "$out/tmp" "$out/plugin" "$out/run/logomesh" "$out/data"
chmod 1777 "$out/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$out/etc/group"
printf 'hosts: files dns\n' >"$out/etc/nsswitch.conf"
