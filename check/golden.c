/* golden.c - the golden form of an analysis: the `-f json` report with
 * nothing that depends on the machine or the path the fixture was
 * checked from: the report's portable option leaves the input, source
 * and binary paths out, and no binary is used. */
#include <stdio.h>
#include <stdlib.h>

#include "check_int.h"
#include "ps_report.h"

int ck_golden_render(const struct ps_doc *doc, char **out, size_t *len,
		     struct ps_error *err)
{
	struct ps_report_opts ro = { .format = PS_REPORT_JSON, .portable = true };
	FILE *f = open_memstream(out, len);
	if (!f)
		return ps_error_set(err, PS_ERR_INTERNAL, "cannot make the golden report in memory");
	int rc = ps_report_write(f, doc, &ro, err);
	if (fclose(f) != 0 && rc == 0)
		rc = ps_error_set(err, PS_ERR_INTERNAL, "cannot make the golden report in memory");
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
