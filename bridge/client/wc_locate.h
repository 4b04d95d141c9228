/* The rule of wc_locate.c with its platform facts as parameters, so a test on one system can
 * check another system's rule (wc_locate uses this machine's: wc_locate_rule_here). */
#ifndef BRIDGE_WC_LOCATE_H
#define BRIDGE_WC_LOCATE_H

#include <stdbool.h>

#include "wc_private.h"

typedef struct wc_locate_rule {
	const char *platform_folder; /* "linux.x86_64", "windows.x86_64": <addon>/runtime/<this>/ */
	const char *runtime_file; /* "node", "node.exe" */
	bool backslash_separates; /* Windows: '\\' is a separator as well as '/' */
	bool execute_bit; /* POSIX: the runtime needs its execute bit (set again when lost) */
} wc_locate_rule;

extern const wc_locate_rule wc_locate_rule_here;

/* wc_locate with p_rule. Paths come back with '/' separators. */
void wc_locate_with(const wc_locate_rule *p_rule, const char *p_library_path, wc_location *r_location);

#endif /* BRIDGE_WC_LOCATE_H */
