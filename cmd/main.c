// SPDX-License-Identifier: GPL-2.0
#include "../cmd/cmds.h"

int main(int argc, char **argv)
{
	return sidetrace_main(argc, argv);
}
