/* test_check_units.c - the golden comparison of check/json.c: equal
 * documents, the first differing field named by its JSON path and golden
 * line, one-sided keys, array lengths, broken and hostile goldens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_int.h"

static int diff(const char *cur, const char *gold, unsigned long *line, char *msg)
{
	return ck_json_diff(cur, strlen(cur), gold, strlen(gold), line, msg, 400);
}

static void equal_documents(void **state)
{
	unsigned long line = 0;
	char msg[400] = "";
	(void)state;
	assert_int_equal(diff("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}",
			      "{ \"a\" : [ 1 , { \"b\" : null } ] ,\n \"c\" : \"x\" }", &line, msg), 0);
	/* key order does not matter, values do */
	assert_int_equal(diff("{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", &line, msg), 0);
}

static void names_first_differing_field(void **state)
{
	unsigned long line = 0;
	char msg[400];
	(void)state;
	const char *gold = "{\"dumps\":[{\"goroutines\":[\n{\"frames\":[]},\n"
			   "{\"frames\":[{\"func\":\"main.a\",\n\"line\":3}]}]}]}";
	const char *cur = "{\"dumps\":[{\"goroutines\":[{\"frames\":[]},"
			  "{\"frames\":[{\"func\":\"main.b\",\"line\":4}]}]}]}";
	assert_int_equal(diff(cur, gold, &line, msg), 1);
	assert_string_equal(msg, "dumps[0].goroutines[1].frames[0].func is \"main.b\" now, "
			    "\"main.a\" in the golden");
	assert_int_equal(line, 3);
	/* a number against a string is a difference even with the same text */
	assert_int_equal(diff("{\"n\":1}", "{\"n\":\"1\"}", &line, msg), 1);
	assert_string_equal(msg, "n is 1 now, \"1\" in the golden");
}

static void one_sided_keys_and_lengths(void **state)
{
	unsigned long line = 0;
	char msg[400];
	(void)state;
	assert_int_equal(diff("{\"a\":1,\"new\":2}", "{\"a\":1}", &line, msg), 1);
	assert_string_equal(msg, "new is new: not in the golden");
	assert_int_equal(diff("{\"a\":1}", "{\"a\":1,\n\"old\":2}", &line, msg), 1);
	assert_string_equal(msg, "old is in the golden but no longer in the analysis");
	assert_int_equal(line, 2);
	assert_int_equal(diff("{\"g\":[1,2]}", "{\"g\":[1,2,3]}", &line, msg), 1);
	assert_string_equal(msg, "g has 2 entries now, 3 in the golden");
	/* nested values before scalars: the edited field, not a total */
	assert_int_equal(diff("{\"bytes\":9,\"f\":{\"func\":\"b\"}}",
			      "{\"bytes\":8,\"f\":{\"func\":\"a\"}}", &line, msg), 1);
	assert_string_equal(msg, "f.func is \"b\" now, \"a\" in the golden");
	assert_int_equal(diff("[1]", "{}", &line, msg), 1);
	assert_string_equal(msg, "(top level) is an array of 1 now, an object in the golden");
}

static void broken_goldens(void **state)
{
	unsigned long line = 0;
	char msg[400];
	(void)state;
	assert_int_equal(diff("{}", "{\n\"a\":\n", &line, msg), -1);
	assert_string_equal(msg, "golden is not valid JSON: unexpected end");
	assert_int_equal(line, 3);
	assert_int_equal(diff("{}", "{} x", &line, msg), -1);
	assert_string_equal(msg, "golden is not valid JSON: text after the end");
	assert_int_equal(diff("{}", "{\"a\":\"open}", &line, msg), -1);
	assert_string_equal(msg, "golden is not valid JSON: unterminated string");
	assert_int_equal(diff("{}", "{\"a\" 1}", &line, msg), -1);
	assert_string_equal(msg, "golden is not valid JSON: expected ':'");
	/* a hostile golden nested a million deep is refused, not recursed */
	size_t n = 1000000;
	char *deep = malloc(2 * n + 1);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = 0;
	assert_int_equal(diff("[]", deep, &line, msg), -1);
	assert_string_equal(msg, "golden is not valid JSON: nested too deep");
	free(deep);
}

static void long_values_are_cut(void **state)
{
	unsigned long line = 0;
	char msg[400];
	char cur[200], gold[200];
	(void)state;
	snprintf(cur, sizeof(cur), "{\"m\":\"%0100d\"}", 1);
	snprintf(gold, sizeof(gold), "{\"m\":\"%0100d\"}", 2);
	assert_int_equal(diff(cur, gold, &line, msg), 1);
	assert_true(strlen(msg) < 160);
	assert_non_null(strstr(msg, "...\" now, \""));
}

static void kind_names(void **state)
{
	(void)state;
	assert_string_equal(ck_kind_name(PS_REPAIR_CRLF), "crlf");
	assert_string_equal(ck_kind_name(PS_REPAIR_TRUNCATED), "truncated");
	assert_string_equal(ck_kind_name(CK_NO_DUMP), "no_dump");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equal_documents),
		cmocka_unit_test(names_first_differing_field),
		cmocka_unit_test(one_sided_keys_and_lengths),
		cmocka_unit_test(broken_goldens),
		cmocka_unit_test(long_values_are_cut),
		cmocka_unit_test(kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
