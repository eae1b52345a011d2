# Host-side machinery shared by tests/vm/tier and tests/vm/run (sourced, bash):
# fetch and cache Debian's cloud kernel, build an initramfs, boot it under qemu
# (TCG) and bring the guest's /out directory back through a raw virtio disk.
#
# Every function prints its reason and returns non-zero when something is
# missing; callers turn that into a loud failure. Only vm_can_run_qemu may ask
# for a skip, and never when $CI is set.

VM_TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VM_DIR=$VM_TOP/tests/vm
VM_CACHE=$VM_DIR/cache
# Load order of the modules that give the guest /dev/vda (the cloud kernel has
# them as modules, not built in).
VM_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"
VM_PLUGINS=/usr/lib/x86_64-linux-gnu/traceevent/plugins
VM_TESTS=()

# Errors go to stderr and, when VM_ERRFILE is set, to that file too, so that
# the tier can name the reason in its one-line result.
vm_err() {
	echo "vm: $*" >&2
	[ -z "${VM_ERRFILE:-}" ] || echo "$*" >>"$VM_ERRFILE"
}

# Which cloud kernel Debian currently ships: the dependency of the metapackage.
vm_kernel_package() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n 1
}

# Downloads PACKAGE into the current directory, running `apt-get update` once
# if the package lists are missing or stale (the archive drops old versions).
vm_apt_download() {
	apt-get download "$1" >apt.log 2>&1 && return 0
	vm_err "apt-get download $1 failed; running apt-get update and retrying"
	apt-get update -q >>apt.log 2>&1 || { vm_err "apt-get update failed:"; tail -n 5 apt.log >&2; return 1; }
	apt-get download "$1" >>apt.log 2>&1 && return 0
	vm_err "apt-get download $1 failed after apt-get update:"
	tail -n 5 apt.log >&2
	return 1
}

# Sets VM_KERNEL (the unpacked package's root), VM_VMLINUZ and VM_MODDIR.
# Reuses tests/vm/cache/PACKAGE/ when it is complete; a newest cached kernel
# is used when apt cannot name the current one (offline machine).
vm_kernel() {
	local pkg dir tmp
	pkg=$(vm_kernel_package)
	if [ -z "$pkg" ]; then
		vm_err "apt-cache does not know linux-image-cloud-amd64; running apt-get update"
		apt-get update -q >/dev/null 2>&1
		pkg=$(vm_kernel_package)
	fi
	if [ -z "$pkg" ]; then
		dir=$(ls -d "$VM_CACHE"/linux-image-*/.complete 2>/dev/null | sort -V | tail -n 1)
		if [ -z "$dir" ]; then
			vm_err "cannot name the cloud kernel package (apt-cache depends linux-image-cloud-amd64 is empty) and none is cached"
			return 1
		fi
		pkg=$(basename "$(dirname "$dir")")
		vm_err "apt cannot name the current cloud kernel; using the cached $pkg"
	fi
	dir=$VM_CACHE/$pkg
	if [ ! -e "$dir/.complete" ]; then
		# One download at a time: concurrent runs share the checkout's cache.
		mkdir -p "$VM_CACHE" || return 1
		(
			flock 9 || exit 1
			[ -e "$dir/.complete" ] && exit 0
			echo "vm: downloading $pkg into $dir" >&2
			rm -rf "$dir" "$dir.tmp"
			tmp=$dir.tmp
			mkdir -p "$tmp" || exit 1
			(cd "$tmp" && vm_apt_download "$pkg") || { rm -rf "$tmp"; exit 1; }
			if ! dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"; then
				vm_err "dpkg -x of $pkg failed"
				rm -rf "$tmp"
				exit 1
			fi
			touch "$tmp/root/.complete" && mv "$tmp/root" "$dir" && rm -rf "$tmp"
		) 9>"$VM_CACHE/.lock" || return 1
	fi
	VM_KERNEL=$dir
	VM_VMLINUZ=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	VM_MODDIR=$(ls -d "$dir"/lib/modules/* 2>/dev/null | head -n 1)
	if [ ! -f "$VM_VMLINUZ" ] || [ ! -d "$VM_MODDIR" ]; then
		vm_err "$dir has no boot/vmlinuz-* or lib/modules/*: remove it to download again"
		return 1
	fi
}

# Checks the host tools the VM tier needs; prints what is missing.
vm_need_tools() {
	local t missing=
	for t in qemu-system-x86_64 busybox cpio gzip tar ldd apt-get dpkg timeout trace-cmd; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	VM_LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
	[ -x "$VM_LDCONFIG" ] || missing="$missing ldconfig"
	[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || missing="$missing busybox-static"
	if [ -n "$missing" ]; then
		vm_err "missing host tools:$missing (run 'make deps' or scripts/install-deps)"
		return 1
	fi
}

# Returns 0 when qemu can run a TCG guest, 77 (skip) when it cannot run at all
# on this machine, 1 when it is simply not installed. On CI (CI set) a machine
# where qemu cannot run is a failure, never a skip.
vm_can_run_qemu() {
	local out
	command -v qemu-system-x86_64 >/dev/null 2>&1 || {
		vm_err "qemu-system-x86_64 is not installed (package qemu-system-x86; run 'make deps')"
		return 1
	}
	if out=$(timeout 30 qemu-system-x86_64 -accel help 2>&1) && grep -qw tcg <<<"$out"; then
		return 0
	fi
	out="qemu-system-x86_64 cannot run TCG guests here: $(tail -n 1 <<<"$out")"
	[ -n "${CI:-}" ] && { vm_err "$out (CI is set: a failure, not a skip)"; return 1; }
	vm_err "$out"
	return 77
}

# ---- initramfs ------------------------------------------------------------

declare -A VM_COPIED

# Copies host file SRC into the staging tree STAGE at DEST (default: the same
# path), dereferencing symlinks, and, if it is a dynamic ELF, every library
# ldd names at the library's own path.
vm_add_file() { # STAGE SRC [DEST]
	local stage=$1 src=$2 dest=${3:-$2} lib
	[ -n "${VM_COPIED[$dest]:-}" ] && return 0
	if [ ! -e "$src" ]; then
		vm_err "cannot put $src in the initramfs: it does not exist"
		return 1
	fi
	VM_COPIED[$dest]=1
	mkdir -p "$stage$(dirname "$dest")" && cp -L "$src" "$stage$dest" || return 1
	[ "$(head -c 4 "$src" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || return 0
	if ldd "$src" 2>/dev/null | grep -q 'not found'; then
		vm_err "$src needs libraries that are not installed:"
		ldd "$src" | grep 'not found' >&2
		return 1
	fi
	for lib in $(ldd "$src" 2>/dev/null |
		     sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
		vm_add_file "$stage" "$lib" || return 1
	done
}

# Copies a file or a whole directory tree (each file with its libraries).
vm_add_tree() { # STAGE PATH
	local f
	if [ -d "$2" ]; then
		while IFS= read -r f; do
			vm_add_file "$1" "$f" || return 1
		done < <(find -L "$2" -type f)
	else
		vm_add_file "$1" "$2"
	fi
}

# Finds MODULE's file under VM_MODDIR and copies it, decompressed (busybox
# insmod only loads plain .ko), to STAGE/vm/modules/MODULE.ko. A module built
# into the kernel is simply not loaded.
vm_add_module() { # STAGE MODULE
	local stage=$1 m=$2 f
	f=$(find "$VM_MODDIR/kernel" \( -name "$m.ko" -o -name "$m.ko.*" \) 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		if grep -q "/$m.ko\$" "$VM_MODDIR/modules.builtin" 2>/dev/null; then
			return 0
		fi
		vm_err "module $m is neither in $VM_MODDIR nor built in"
		return 1
	fi
	mkdir -p "$stage/vm/modules"
	case $f in
	*.ko) cp "$f" "$stage/vm/modules/$m.ko" ;;
	*.xz) xz -dc "$f" >"$stage/vm/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$stage/vm/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$stage/vm/modules/$m.ko" ;;
	*) vm_err "cannot decompress $f"; return 1 ;;
	esac || { vm_err "cannot decompress $f"; return 1; }
	echo "$m" >>"$stage/vm/modules/order"
}

# /usr/bin/python3 and what `python3 -c 'import json'` loads: each module's
# source and cached bytecode, with their times kept (a .pyc records its
# source's mtime; a stale one makes python write a new one, which would make
# two runs of the same command open different files), and extension modules
# with their libraries. Nothing when the host has no /usr/bin/python3.
vm_add_python() { # STAGE
	local stage=$1 f
	[ -x /usr/bin/python3 ] || return 0
	vm_add_file "$stage" /usr/bin/python3 || return 1
	while IFS= read -r f; do
		case $f in
		*.so) vm_add_file "$stage" "$f" || return 1 ;;
		*) mkdir -p "$stage$(dirname "$f")" &&
			cp -L --preserve=timestamps "$f" "$stage$f" || return 1 ;;
		esac
	done < <(env -i /usr/bin/python3 -c '
import importlib.util, json, os, sys
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f:
        print(f)
        c = importlib.util.cache_from_source(f) if f.endswith(".py") else ""
        if c and os.path.exists(c):
            print(c)
' | sort -u)
}

# Builds OUT (a gzip'ed newc cpio) with busybox, bash, ls, trace-cmd, python3, the
# built sidetrace, libtraceevent's plugins, tests/lib.sh, tests/progs/*, the
# VM tests (those named in the array VM_TESTS, default all of tests/vm/tests/), the
# job script (run by /init as `bash /vm/job` in /out), and EXTRA host paths
# (copied to the same path, with libraries). The guest sees a small copy of
# the repository at /vm: /vm/sidetrace, /vm/tests/lib.sh, /vm/tests/progs/.
vm_build_initramfs() { # OUT JOB [EXTRA...]
	local out=$1 job=$2 stage a p
	shift 2
	VM_COPIED=()
	if [ ! -x "$VM_TOP/sidetrace" ]; then
		vm_err "$VM_TOP/sidetrace is not built (run make)"
		return 1
	fi
	stage=$(mktemp -d "${TMPDIR:-/tmp}/sidetrace-initramfs.XXXXXX") || return 1
	# Debian's merged /usr, so that ldd's /lib/... and /lib64/... paths land in usr/.
	mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib,usr/lib64,proc,sys,dev,tmp,run,var/tmp,out,etc,root,vm/tests}
	ln -s /run "$stage/var/run"
	ln -s usr/bin "$stage/bin"; ln -s usr/sbin "$stage/sbin"
	ln -s usr/lib "$stage/lib"; ln -s usr/lib64 "$stage/lib64"
	(
		set -e
		for p in /usr/bin/bash /usr/bin/ls /usr/bin/trace-cmd /usr/bin/strace "$VM_PLUGINS"; do
			vm_add_tree "$stage" "$p"
		done
		vm_add_python "$stage"
		# The repository's own pieces, at /vm (the guest's TOP).
		vm_add_file "$stage" "$VM_TOP/sidetrace" /vm/sidetrace
		ln -s /vm/sidetrace "$stage/usr/bin/sidetrace"
		cp "$VM_TOP/tests/lib.sh" "$stage/vm/tests/lib.sh"
		# The VM tests and their helpers, at the same place under /vm.
		mkdir -p "$stage/vm/tests/vm/tests"
		cp "$VM_DIR/helpers.sh" "$stage/vm/tests/vm/"
		if [ ${#VM_TESTS[@]} -gt 0 ]; then
			cp "${VM_TESTS[@]}" "$stage/vm/tests/vm/tests/"
		else
			cp "$VM_DIR"/tests/*.sh "$stage/vm/tests/vm/tests/"
		fi
		if [ -d "$VM_TOP/tests/progs" ]; then
			mkdir -p "$stage/vm/tests/progs"
			for p in "$VM_TOP"/tests/progs/*; do
				[ -f "$p" ] && [ -x "$p" ] || continue
				vm_add_file "$stage" "$p" "/vm/tests/progs/$(basename "$p")"
			done
		fi
		for a in "$@"; do
			vm_add_tree "$stage" "$a"
		done
		for p in $VM_MODULES; do
			vm_add_module "$stage" "$p"
		done
		cp "$job" "$stage/vm/job"
		cp "$VM_DIR/init" "$stage/init"
		chmod 755 "$stage/init"
		# Busybox for everything else (its applets, not a link to itself).
		cp -L "$(command -v busybox)" "$stage/usr/bin/busybox"
		busybox --list-full | while read -r a; do
			[ -e "$stage/$a" ] || [ -L "$stage/$a" ] || ln -s /usr/bin/busybox "$stage/$a"
		done
		# A loader cache for the copied libraries, and the files programs expect.
		cp /etc/ld.so.conf "$stage/etc/"
		cp -r /etc/ld.so.conf.d "$stage/etc/"
		"${VM_LDCONFIG:-/sbin/ldconfig}" -r "$stage" 2>/dev/null || true
		echo 'root:x:0:0:root:/root:/bin/bash' >"$stage/etc/passwd"
		echo 'root:x:0:' >"$stage/etc/group"
		(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	)
	local rc=$?
	rm -rf "$stage"
	[ $rc -eq 0 ] || vm_err "building the initramfs failed"
	return $rc
}

# ---- boot -------------------------------------------------------------------

# Boots VM_VMLINUZ with INITRD, shows the guest console on stdout and in
# CONSOLE (without the serial line's carriage returns), and extracts the
# guest's /out into OUTDIR (which should be empty). The guest gets the time
# limit as $VM_DEADLINE (seconds of uptime), to share it out among its tests. Returns 0 when the guest
# delivered its files, 124 when qemu was killed by the time limit, 1
# otherwise. Sets VM_WALL (boot to power-off in seconds, host side).
vm_boot() { # INITRD OUTDIR TIMEOUT MEM_MB CPUS CONSOLE
	local initrd=$1 outdir=$2 limit=$3 mem=$4 cpus=$5 console=$6 disk t0 rc
	disk=$(mktemp "${TMPDIR:-/tmp}/sidetrace-vmdisk.XXXXXX") || return 1
	truncate -s 2G "$disk"
	t0=$(date +%s%N)
	timeout -k 5 "$limit" qemu-system-x86_64 -accel tcg,thread=single -cpu max -m "$mem" -smp "$cpus" \
		-nodefaults -display none -serial stdio -monitor none -no-reboot \
		-kernel "$VM_VMLINUZ" -initrd "$initrd" \
		-drive "file=$disk,if=virtio,format=raw" \
		-append "console=ttyS0 quiet panic=-1 oops=panic nowatchdog rcupdate.rcu_cpu_stall_suppress=1 VM_DEADLINE=$limit" </dev/null | tr -d '\r' | tee "$console"
	rc=${PIPESTATUS[0]}
	t0=$((($(date +%s%N) - t0) / 100000000))
	VM_WALL=$((t0 / 10)).$((t0 % 10))
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		rm -f "$disk"
		vm_err "qemu did not power off within $limit s (killed after $VM_WALL s)"
		return 124
	fi
	mkdir -p "$outdir"
	tar xf "$disk" -C "$outdir" 2>/dev/null
	rm -f "$disk"
	if [ ! -e "$outdir/.vm-rc" ]; then
		vm_err "the guest brought no files back (qemu exited $rc; see the console above)"
		return 1
	fi
	return 0
}

# Empties DIR for a new run's results, refusing to empty a directory that
# does not hold an earlier run's results (a mistyped -o must not cost files).
vm_prepare_outdir() { # DIR
	if [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; then
		if [ ! -e "$1/.vm-rc" ] && [ ! -e "$1/console.log" ]; then
			vm_err "$1 is not empty and holds no earlier VM results: choose another -o"
			return 1
		fi
		find "$1" -mindepth 1 -delete
	fi
	mkdir -p "$1"
}
