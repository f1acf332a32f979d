/* cli.h - what the command's files share: exit statuses (CONTRACT.md)
 * and the option helpers of main.c. */
#ifndef PS_CLI_H
#define PS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "ps_base.h"

#define EXIT_OK 0
#define EXIT_FINDINGS 1
#define EXIT_USAGE 2
#define EXIT_INPUT 3

/* Prints "panicscope: MESSAGE" and the --help hint; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) PS_PRINTF(1, 2);
/* The index of V in NAMES[0..N) into *OUT; false when absent. */
bool pick(const char *v, const char *const *names, int n, int *out);
/* The out-of-memory hook: one line, exit. */
void oom(size_t n);

/* `panicscope triage ARGS` (ARGV[0] is "triage"); returns the exit status. */
int triage_main(int argc, char **argv);

#endif
