/* html.c - placeholder, replaced below */
#include "report_int.h"
int rp_write_html(FILE *out, const struct rp_ctx *c) { (void)out; (void)c; return 0; }
