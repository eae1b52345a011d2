// SPDX-License-Identifier: GPL-2.0
/* probe_pie.c linked without PIE (see the Makefile rule): text at 0x401000, file offset 0x1000. */
#include "probe_pie.c"
