/* Minimal test harness for the bridge's C tests: each BT_RUN counts one test, which fails
 * if any BT_CHECK in it fails; bt_finish prints exactly "N passed, N failed" and returns
 * the process exit code. */
#ifndef BRIDGE_BT_H
#define BRIDGE_BT_H

#include <stdio.h>

static int bt_passed;
static int bt_failed;
static int bt_current_failed;

#define BT_CHECK(p_cond)                                                                  \
	do {                                                                                  \
		if (!(p_cond)) {                                                                  \
			bt_current_failed = 1;                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #p_cond);  \
		}                                                                                 \
	} while (0)

#define BT_EQ(p_actual, p_expected)                                                                   \
	do {                                                                                              \
		long long bt_a = (long long)(p_actual);                                                       \
		long long bt_e = (long long)(p_expected);                                                     \
		if (bt_a != bt_e) {                                                                           \
			bt_current_failed = 1;                                                                    \
			fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #p_actual, \
					bt_a, #p_expected, bt_e);                                                         \
		}                                                                                             \
	} while (0)

#define BT_RUN(p_test)                                      \
	do {                                                    \
		bt_current_failed = 0;                              \
		p_test();                                           \
		if (bt_current_failed) {                            \
			bt_failed++;                                    \
			fprintf(stderr, "FAIL %s\n", #p_test);          \
		} else {                                            \
			bt_passed++;                                    \
			fprintf(stderr, "ok   %s\n", #p_test);          \
		}                                                   \
	} while (0)

static int bt_finish(void) {
	printf("%d passed, %d failed\n", bt_passed, bt_failed);
	fflush(stdout);
	return bt_failed == 0 && bt_passed > 0 ? 0 : 1;
}

#endif /* BRIDGE_BT_H */
