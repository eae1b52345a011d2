/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Function names for display (ucall_demangle() in ucall.h): C++ (Itanium
 * ABI) and Rust legacy names demangled with the C++ runtime's
 * __cxa_demangle (libstdc++, loaded on first use: no build dependency), the
 * Rust "::h<16 hex>" hash dropped. Header-only with libc only, so that the
 * libtraceevent plugin, which links no code of ours, shows the names report
 * shows. Not thread-safe on first use (report and trace-cmd print from one
 * thread).
 */
#ifndef SIDETRACE_UCALL_DEMANGLE_H
#define SIDETRACE_UCALL_DEMANGLE_H

#include <ctype.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef char *(*ucall_cxa_demangle_fn)(const char *, char *, size_t *, int *);

/* The C++ runtime's demangler, loaded once; NULL without libstdc++. */
static inline ucall_cxa_demangle_fn ucall_find_demangler(void)
{
	static ucall_cxa_demangle_fn fn;
	static bool tried;
	void *lib;

	if (tried)
		return fn;
	tried = true;
	lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
	if (lib)
		fn = (ucall_cxa_demangle_fn)dlsym(lib, "__cxa_demangle");
	return fn;
}

/* Rust legacy names end in "::h" and 16 hex digits, a hash of the crate. */
static inline void ucall_drop_rust_hash(char *s)
{
	size_t len = strlen(s);

	if (len < 19 || strncmp(s + len - 19, "::h", 3))
		return;
	for (size_t i = len - 16; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return;
	s[len - 19] = '\0';
}

/*
 * The demangled name (malloc'ed), or NULL when name is not mangled, cannot be
 * demangled, or memory ran out: then the caller shows name itself.
 */
static inline char *ucall_demangle_or_null(const char *name)
{
	ucall_cxa_demangle_fn fn;
	char *out;
	int status = -1;

	if (strncmp(name, "_Z", 2))
		return NULL;
	fn = ucall_find_demangler();
	out = fn ? fn(name, NULL, NULL, &status) : NULL;
	if (!out || status != 0) {
		free(out);
		return NULL;
	}
	ucall_drop_rust_hash(out);
	return out;
}

#endif
