// SPDX-License-Identifier: GPL-2.0
#include "cmds.h"

int main(int argc, char **argv)
{
	return sidetrace_main(argc, argv);
}
