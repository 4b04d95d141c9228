/* The host's operating-system pieces on Windows (the twin of host_os_posix.c): the clock,
 * loading the library with LoadLibraryW, the worker as a child process (a Toolhelp snapshot;
 * its command line read from its process parameters), and "was it the bundled runtime":
 * the worker's own executable path, which must be <addon>/runtime/windows.x86_64/node.exe
 * (HOST_RUNTIME_FOLDER). No wrapper can stand in for node.exe there: shm.node imports from the
 * executable by that name, and the doorbell accepts only the process the client started. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <tlhelp32.h>
#include <winternl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "host.h"

uint64_t host_now_ms(void) {
	return (uint64_t)GetTickCount64();
}

void host_sleep_ms(int p_ms) {
	Sleep((DWORD)p_ms);
}

/* UTF-8 <-> UTF-16, malloc'd; NULL when not convertible. */
static wchar_t *host_wide(const char *p_text) {
	int length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, p_text, -1, NULL, 0);
	wchar_t *wide = length > 0 ? malloc((size_t)length * sizeof(wchar_t)) : NULL;
	if (wide != NULL && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, p_text, -1, wide, length) != length) {
		free(wide);
		wide = NULL;
	}
	return wide;
}

/* p_length UTF-16 units into r_text as UTF-8 with '/' separators. */
static void host_narrow(const wchar_t *p_text, int p_length, char *r_text, size_t p_size) {
	int written = WideCharToMultiByte(CP_UTF8, 0, p_text, p_length, r_text, (int)p_size - 1, NULL, NULL);
	r_text[written > 0 ? written : 0] = '\0';
	for (char *c = r_text; *c != '\0'; c++) {
		if (*c == '\\') {
			*c = '/';
		}
	}
}

/* ---- child processes (the worker) ---- */

int host_children(pid_t *r_pids, int p_max) {
	HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (snapshot == INVALID_HANDLE_VALUE) {
		return 0;
	}
	DWORD self = GetCurrentProcessId();
	int count = 0;
	PROCESSENTRY32W entry;
	entry.dwSize = sizeof(entry);
	for (BOOL more = Process32FirstW(snapshot, &entry); more; more = Process32NextW(snapshot, &entry)) {
		/* A console's host process is the system's, not ours to count. */
		if (entry.th32ParentProcessID != self || _wcsicmp(entry.szExeFile, L"conhost.exe") == 0) {
			continue;
		}
		if (count < p_max) {
			r_pids[count] = (pid_t)entry.th32ProcessID;
		}
		count++;
	}
	CloseHandle(snapshot);
	return count;
}

int host_os_process_env(pid_t p_pid, const char *p_name, char *r_value, size_t p_size) {
	(void)p_pid;
	(void)p_name;
	(void)p_size;
	r_value[0] = '\0';
	return -1; /* another process's environment is not readable here */
}

void host_cmdline(pid_t p_pid, char *r_text, size_t p_size) {
	r_text[0] = '\0';
	HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, (DWORD)p_pid);
	if (process == NULL) {
		return;
	}
	PROCESS_BASIC_INFORMATION basic;
	PEB peb;
	RTL_USER_PROCESS_PARAMETERS parameters;
	ULONG length = 0;
	SIZE_T read = 0;
	if (NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof(basic), &length) == 0 &&
			ReadProcessMemory(process, basic.PebBaseAddress, &peb, sizeof(peb), &read) &&
			ReadProcessMemory(process, peb.ProcessParameters, &parameters, sizeof(parameters), &read)) {
		size_t units = parameters.CommandLine.Length / sizeof(wchar_t);
		wchar_t *line = malloc((units + 1u) * sizeof(wchar_t));
		if (line != NULL && ReadProcessMemory(process, parameters.CommandLine.Buffer, line, units * sizeof(wchar_t), &read)) {
			host_narrow(line, (int)units, r_text, p_size);
		}
		free(line);
	}
	CloseHandle(process);
}

/* ---- the library ---- */

void *host_os_load(const char *p_path, char *r_error, size_t p_size) {
	wchar_t *path = host_wide(p_path);
	if (path == NULL) {
		snprintf(r_error, p_size, "the path is not UTF-8");
		return NULL;
	}
	for (wchar_t *c = path; *c != L'\0'; c++) {
		if (*c == L'/') {
			*c = L'\\'; /* LoadLibraryW wants backslashes */
		}
	}
	HMODULE library = LoadLibraryW(path);
	free(path);
	if (library == NULL) {
		snprintf(r_error, p_size, "LoadLibraryW failed (Windows error %lu)", (unsigned long)GetLastError());
	}
	return (void *)library;
}

void *host_os_symbol(void *p_library, const char *p_name) {
	union {
		FARPROC function;
		void *object;
	} symbol;
	symbol.function = GetProcAddress((HMODULE)p_library, p_name);
	return symbol.object;
}

void host_os_unload(void *p_library) {
	FreeLibrary((HMODULE)p_library);
}

void host_os_unsetenv(const char *p_name) {
	/* The C runtime's copy and the process environment the shim's spawn reads. */
	char entry[128];
	snprintf(entry, sizeof(entry), "%s=", p_name);
	_putenv(entry);
	SetEnvironmentVariableA(p_name, NULL);
}

/* ---- the bundled runtime ---- */

void host_os_forget_runtime(void) {
}

bool host_os_started_by_runtime(pid_t p_worker) {
	HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)p_worker);
	if (process == NULL) {
		return false;
	}
	wchar_t image[MAX_PATH * 4];
	DWORD length = sizeof(image) / sizeof(image[0]);
	char actual[4200] = "";
	if (QueryFullProcessImageNameW(process, 0, image, &length)) {
		host_narrow(image, (int)length, actual, sizeof(actual));
	}
	CloseHandle(process);
	char expected[4200];
	snprintf(expected, sizeof(expected), "%s/" HOST_RUNTIME_FOLDER "/node.exe", host_addon_directory);
	bool same = _stricmp(actual, expected) == 0;
	if (!same) {
		printf("    the worker's executable is %s, not %s\n", actual, expected);
	}
	return same;
}
