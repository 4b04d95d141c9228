/* The Godot 3 shim's DLL under the Windows loader (run under Wine by
 * scripts/run-windows-tests.sh): it loads with every import resolved, GetProcAddress finds
 * the four entry points Godot 3 asks for, and no internal function is reachable. Nothing
 * calls the entry points: no Windows Godot 3 runs here (see README, "Platforms").
 *
 *   win_load_check.exe <libwebrtc_ts.windows.x86_64.dll>
 *
 * One line per check, then "N passed, N failed". */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>

static int passed;
static int failed;

static void check(int p_ok, const char *p_what, const char *p_name) {
	printf("%s %s%s\n", p_ok ? "  ok  " : "  FAIL", p_what, p_name);
	if (p_ok) {
		passed++;
	} else {
		failed++;
	}
}

int main(int p_argc, char **p_argv) {
	if (p_argc != 2) {
		fprintf(stderr, "usage: %s <dll>\n", p_argv[0]);
		return 2;
	}
	HMODULE library = LoadLibraryA(p_argv[1]);
	check(library != NULL, "LoadLibrary resolves every import of ", p_argv[1]);
	if (library != NULL) {
		static const char *const entries[] = { "godot_gdnative_init", "godot_gdnative_terminate", "godot_gdnative_singleton",
			"godot_nativescript_init" };
		for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
			check(GetProcAddress(library, entries[i]) != NULL, "exported: ", entries[i]);
		}
		static const char *const internal[] = { "wc_locate", "wc_lock", "gdn_error", "br_ring_attach" };
		for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++) {
			check(GetProcAddress(library, internal[i]) == NULL, "not exported: ", internal[i]);
		}
		check(FreeLibrary(library) != 0, "FreeLibrary", "");
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
