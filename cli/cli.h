/* cli.h - the subcommands of the panicscope command, one file each. */
#ifndef PS_CLI_H
#define PS_CLI_H

/* `panicscope check ...`: ARGV[0] is "check".  Returns the exit status. */
int ps_cli_check(int argc, char **argv);

#endif
