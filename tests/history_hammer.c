/* history_hammer.c - a driver for the concurrent-db test: run twice at
 * once on one db, each process records ROUNDS runs, opening the db anew
 * for each, so creation, WAL switch and writes all race.
 *
 *   history_hammer DB TAG ROUNDS   record; prints how many runs saw the
 *                                  shared signature as new
 *   history_hammer DB ID           print ID's total count
 *   history_hammer DB --loop N     record runs of N signatures (count 1
 *                                  each) until killed; a line per commit
 *   history_hammer DB --check N    "uniform C" when all N have count C,
 *                                  else "torn ..." and exit 1
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_history.h"

static int die(const char *what, const struct ps_error *err)
{
	fprintf(stderr, "history_hammer: %s: %s\n", what, err->msg);
	return 1;
}

/* Round R adds R+1 to the shared signature and 1 to TAG's own. */
static int hammer(const char *db, const char *tag, long rounds)
{
	long news = 0;
	for (long r = 0; r < rounds; r++) {
		struct ps_error err = {0};
		ps_hist *h = ps_hist_open(db, &err);
		if (!h)
			return die("open", &err);
		const char *ex[] = { tag };
		struct ps_hist_cluster c[2] = {
			{ .signature = "5a5a5a5a5a5a5a5a", .title = "shared", .kind = "k",
			  .count = (uint64_t)r + 1, .first_seen = -1, .last_seen = -1,
			  .examples = ex, .n_examples = 1 },
			{ .signature = tag, .title = "own", .kind = "k", .count = 1,
			  .first_seen = r, .last_seen = r },
		};
		struct ps_hist_info info[2];
		if (ps_hist_record(h, c, 2, info, &err) < 0) {
			ps_hist_close(h);
			return die("record", &err);
		}
		news += info[0].status == PS_HIST_NEW;
		ps_hist_close(h);
	}
	printf("%ld\n", news);
	return 0;
}

static void big_run(struct ps_hist_cluster *c, char (*ids)[20], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%08zx", i);
		c[i] = (struct ps_hist_cluster){ .signature = ids[i], .title = "t", .kind = "k",
						 .count = 1, .first_seen = -1, .last_seen = -1 };
	}
}

static int loop(const char *db, size_t n)
{
	struct ps_hist_cluster *c = calloc(n, sizeof(*c));
	struct ps_hist_info *info = calloc(n, sizeof(*info));
	char (*ids)[20] = calloc(n, sizeof(*ids));
	big_run(c, ids, n);
	for (;;) {
		struct ps_error err = {0};
		ps_hist *h = ps_hist_open(db, &err);
		if (!h || ps_hist_record(h, c, n, info, &err) < 0)
			return die("loop", &err);
		ps_hist_close(h);
		printf("committed\n");
		fflush(stdout);
	}
}

/* Every run touches all N signatures, so any state but "all equal" is a
 * run stored in part. */
static int check(const char *db, size_t n)
{
	struct ps_error err = {0};
	ps_hist *h = ps_hist_open(db, &err);
	if (!h)
		return die("check", &err);
	char id[20];
	uint64_t first = 0;
	for (size_t i = 0; i < n; i++) {
		struct ps_hist_info info;
		snprintf(id, sizeof(id), "%08zx", i);
		if (ps_hist_get(h, id, &info, &err) < 0)
			info.total_count = 0;
		if (i == 0)
			first = info.total_count;
		if (info.total_count != first) {
			printf("torn: %s has %llu, 00000000 has %llu\n", id,
			       (unsigned long long)info.total_count, (unsigned long long)first);
			ps_hist_close(h);
			return 1;
		}
	}
	printf("uniform %llu\n", (unsigned long long)first);
	ps_hist_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	struct ps_error err = {0};
	if (argc == 4 && strcmp(argv[2], "--loop") == 0)
		return loop(argv[1], strtoul(argv[3], NULL, 10));
	if (argc == 4 && strcmp(argv[2], "--check") == 0)
		return check(argv[1], strtoul(argv[3], NULL, 10));
	if (argc == 4)
		return hammer(argv[1], argv[2], strtol(argv[3], NULL, 10));
	if (argc != 3) {
		fputs("usage: history_hammer DB TAG ROUNDS | DB ID\n", stderr);
		return 2;
	}
	ps_hist *h = ps_hist_open(argv[1], &err);
	struct ps_hist_info info;
	if (!h || ps_hist_get(h, argv[2], &info, &err) < 0) {
		ps_hist_close(h);
		return die("get", &err);
	}
	printf("%llu\n", (unsigned long long)info.total_count);
	ps_hist_close(h);
	return 0;
}
