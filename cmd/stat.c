// SPDX-License-Identifier: GPL-2.0
#include "cmds.h"
#include "util.h"

int cmd_stat(int argc, char **argv)
{
	st_warn("not implemented yet");
	return EXIT_FAILURE_;
}
