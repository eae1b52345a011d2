/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Kernel function prototypes from the kernel's own BTF (/sys/kernel/btf/vmlinux),
 * through libbpf: what perf needs a debuginfo package for.
 */
#ifndef SIDETRACE_BTF_H
#define SIDETRACE_BTF_H

#include "probe/probe.h"
#include "probe/probe_func.h"
#include "util.h"

struct kbtf;

/* Load the running kernel's BTF. NULL with st_set_error if the kernel has none. */
struct kbtf *kbtf_open(void);
/* BTF from a file (raw BTF or an ELF with .BTF), e.g. a saved kernel's, for tests. */
struct kbtf *kbtf_open_file(const char *path);
void kbtf_close(struct kbtf *b);

/*
 * The parameters of a kernel function, with their C types and where the x86-64
 * calling convention puts them. Its char * parameters are user memory (user,
 * user_why) by a BTF __user tag, the syscall layer (do_sys_*, ksys_*, ...), the
 * file_operations read/write prototype, or a user buffer's name (ubuf, user_*).
 * NULL with st_set_error if BTF has no such function.
 */
struct probe_func *kbtf_func(const struct kbtf *b, const char *name);

/* The names of every function BTF describes (for -F and "did you mean"). */
int kbtf_func_names(const struct kbtf *b, struct strlist *names);

/*
 * Compile the member access of f (PARAM->a.b[3], param of BTF type type_id) into
 * memory loads and a default fetch type. -1 with a one-line error naming arg
 * for a member that does not exist, -> on a non-pointer, . on a pointer, an
 * index on neither an array nor a pointer, or a value that cannot be fetched.
 */
int kbtf_member_access(const struct kbtf *b, unsigned int type_id, const char *param,
		       const struct probe_fetch *f, const char *arg, struct probe_member *out);

/* The members of the struct/union type_id points to (none for other types), for -V. */
int kbtf_pointee_members(const struct kbtf *b, unsigned int type_id, struct strlist *names);

#endif
