/* wc_platform.h for Windows (mingw-w64; Microsoft Learn is the source of every call's
 * behaviour used here).
 *
 * Region: shm_windows.c's unnamed file mapping. Its handle is not inheritable; a duplicate
 * that is, named alone in PROC_THREAD_ATTRIBUTE_HANDLE_LIST (with the standard handles), is
 * the only handle the worker inherits. Its value is in the worker's environment
 * (BP_ENV_REGION_HANDLE): handle values are the same in the child.
 *
 * Doorbell: a named pipe \\.\pipe\godot-webrtc-<pid>-<128 random bits>, one instance
 * (FILE_FLAG_FIRST_PIPE_INSTANCE: never someone else's), local clients only, overlapped on
 * our side. The worker connects to the name it finds in BP_ENV_DOORBELL_PIPE; the client
 * then checks with GetNamedPipeClientProcessId that the process at the other end is the
 * worker it started, and treats anything else as a dead worker. A pipe breaks when either
 * process ends, so EOF still means "the other side is gone".
 *
 * Lifetime: the worker is created suspended, put in a job object with
 * JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE (Godot holds the only job handle: when Godot dies, even
 * by TerminateProcess, the system closes it and kills the worker), then resumed.
 * CREATE_NO_WINDOW: no console window for it. Death is seen by waiting on the process handle.
 */
#define _CRT_RAND_S
#include "wc_platform.h"

#if defined(BR_PLATFORM_WINDOWS)

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The pending I/O on our end of the pipe: OVERLAPPED structures must stay put until done. */
typedef struct wc_os_pipe {
	HANDLE handle;
	OVERLAPPED connect; /* then reused for reads */
	OVERLAPPED write;
	bool connected; /* the connection was seen and checked */
	bool read_pending;
	bool write_pending;
	unsigned char buffer[64];
	DWORD expected_pid;
} wc_os_pipe;

void wc_os_init(wc_os_worker *r_os) {
	memset(r_os, 0, sizeof(*r_os));
}

uint64_t wc_now_ns(void) {
	static LARGE_INTEGER frequency;
	if (frequency.QuadPart == 0) {
		QueryPerformanceFrequency(&frequency);
	}
	LARGE_INTEGER now;
	QueryPerformanceCounter(&now);
	return (uint64_t)((double)now.QuadPart * (1e9 / (double)frequency.QuadPart));
}

void wc_sleep_ms(int p_ms) {
	Sleep((DWORD)p_ms);
}

/* UTF-16 to malloc'd UTF-8 with '/' separators; NULL on failure. */
static char *wc_narrow_path(const wchar_t *p_text) {
	int length = WideCharToMultiByte(CP_UTF8, 0, p_text, -1, NULL, 0, NULL, NULL);
	char *text = length > 0 ? malloc((size_t)length) : NULL;
	if (text != NULL && WideCharToMultiByte(CP_UTF8, 0, p_text, -1, text, length, NULL, NULL) != length) {
		free(text);
		return NULL;
	}
	for (char *c = text; c != NULL && *c != '\0'; c++) {
		if (*c == '\\') {
			*c = '/';
		}
	}
	return text;
}

static wchar_t *wc_wide(const char *p_text);

char *wc_os_absolute_path(const char *p_path) {
	wchar_t *wide = wc_wide(p_path);
	wchar_t full[MAX_PATH * 4];
	DWORD length = wide != NULL ? GetFullPathNameW(wide, sizeof(full) / sizeof(full[0]), full, NULL) : 0;
	bool exists = length > 0 && length < sizeof(full) / sizeof(full[0]) && GetFileAttributesW(full) != INVALID_FILE_ATTRIBUTES;
	free(wide);
	return exists ? wc_narrow_path(full) : NULL;
}

char *wc_os_module_path(const void *p_address) {
	HMODULE module = NULL;
	if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
				(LPCWSTR)p_address, &module)) {
		return NULL;
	}
	wchar_t path[MAX_PATH * 4];
	DWORD length = GetModuleFileNameW(module, path, sizeof(path) / sizeof(path[0]));
	if (length == 0 || length >= sizeof(path) / sizeof(path[0])) {
		return NULL;
	}
	return wc_narrow_path(path);
}

/* ---- the doorbell ---- */

void wc_os_ring(wc_os_worker *p_os) {
	wc_os_pipe *pipe = p_os->pipe;
	if (pipe == NULL) {
		return;
	}
	if (pipe->write_pending) {
		if (!HasOverlappedIoCompleted(&pipe->write)) {
			return; /* a byte is still on its way: the worker wakes anyway */
		}
		pipe->write_pending = false;
	}
	static const unsigned char one = 1;
	ResetEvent(pipe->write.hEvent);
	if (!WriteFile(pipe->handle, &one, 1, NULL, &pipe->write) && GetLastError() == ERROR_IO_PENDING) {
		pipe->write_pending = true;
	}
}

/* Wait for p_event or the process's end: 1 event, 0 timeout, -1 process ended. */
static int wc_wait_or_death(wc_os_worker *p_os, HANDLE p_event, int p_timeout_ms) {
	HANDLE handles[2] = { p_event, p_os->process };
	DWORD rc = WaitForMultipleObjects(2, handles, FALSE, p_timeout_ms < 0 ? INFINITE : (DWORD)p_timeout_ms);
	if (rc == WAIT_OBJECT_0) {
		return 1;
	}
	if (rc == WAIT_TIMEOUT) {
		return 0;
	}
	return -1;
}

/* The worker's connection: 1 connected (and checked), 0 not yet, -1 never (or not ours). */
static int wc_pipe_connected(wc_os_worker *p_os, int p_timeout_ms) {
	wc_os_pipe *pipe = p_os->pipe;
	if (pipe->connected) {
		return 1;
	}
	int rc = wc_wait_or_death(p_os, pipe->connect.hEvent, p_timeout_ms);
	if (rc <= 0) {
		return rc;
	}
	DWORD ignored = 0;
	if (!GetOverlappedResult(pipe->handle, &pipe->connect, &ignored, FALSE) && GetLastError() != ERROR_PIPE_CONNECTED) {
		return -1;
	}
	ULONG client = 0;
	if (!GetNamedPipeClientProcessId(pipe->handle, &client) || client != pipe->expected_pid) {
		return -1; /* someone else reached the name first: treat as a dead worker */
	}
	pipe->connected = true;
	return 1;
}

int wc_os_doorbell_wait(wc_os_worker *p_os, int p_timeout_ms) {
	wc_os_pipe *pipe = p_os->pipe;
	if (pipe == NULL) {
		return -1;
	}
	uint64_t start = wc_now_ns();
	int connected = wc_pipe_connected(p_os, p_timeout_ms);
	if (connected <= 0) {
		return connected;
	}
	if (!pipe->read_pending) {
		ResetEvent(pipe->connect.hEvent);
		if (ReadFile(pipe->handle, pipe->buffer, sizeof(pipe->buffer), NULL, &pipe->connect)) {
			return 1;
		}
		DWORD error = GetLastError();
		if (error != ERROR_IO_PENDING) {
			return -1; /* ERROR_BROKEN_PIPE: the worker's end is closed */
		}
		pipe->read_pending = true;
	}
	int left = p_timeout_ms;
	if (p_timeout_ms >= 0) {
		uint64_t spent = (wc_now_ns() - start) / 1000000u;
		left = spent >= (uint64_t)p_timeout_ms ? 0 : p_timeout_ms - (int)spent;
	}
	int rc = wc_wait_or_death(p_os, pipe->connect.hEvent, left);
	if (rc <= 0) {
		return rc; /* a timeout leaves the read pending for the next wait */
	}
	pipe->read_pending = false;
	DWORD got = 0;
	if (!GetOverlappedResult(pipe->handle, &pipe->connect, &got, FALSE) || got == 0) {
		return -1;
	}
	return 1;
}

bool wc_os_watch(wc_os_worker *p_os, int p_timeout_ms) {
	if (p_os->process == NULL) {
		return true;
	}
	return WaitForSingleObject(p_os->process, (DWORD)p_timeout_ms) == WAIT_OBJECT_0;
}

/* ---- the process ---- */

void wc_os_kill(wc_os_worker *p_os) {
	if (p_os->process != NULL && !p_os->reaped) {
		p_os->killed = true;
		TerminateProcess(p_os->process, 1);
	}
}

bool wc_os_reap(wc_os_worker *p_os) {
	if (p_os->process == NULL || p_os->reaped) {
		return true;
	}
	if (WaitForSingleObject(p_os->process, 0) != WAIT_OBJECT_0) {
		return false;
	}
	DWORD code = 0;
	GetExitCodeProcess(p_os->process, &code);
	p_os->exit_code = code;
	p_os->reaped = true;
	return true;
}

void wc_os_hang_up(wc_os_worker *p_os) {
	if (p_os->pipe != NULL) {
		CancelIoEx(p_os->pipe->handle, NULL);
		DisconnectNamedPipe(p_os->pipe->handle); /* the worker's reads fail: it exits */
	}
}

void wc_os_close(wc_os_worker *p_os) {
	wc_os_pipe *pipe = p_os->pipe;
	if (pipe != NULL) {
		CancelIoEx(pipe->handle, NULL);
		CloseHandle(pipe->handle);
		CloseHandle(pipe->connect.hEvent);
		CloseHandle(pipe->write.hEvent);
		free(pipe);
		p_os->pipe = NULL;
	}
	if (p_os->process != NULL) {
		CloseHandle(p_os->process);
		p_os->process = NULL;
	}
	if (p_os->job != NULL) {
		CloseHandle(p_os->job); /* kills the worker if it still ran */
		p_os->job = NULL;
	}
}

void wc_os_describe_exit(const wc_os_worker *p_os, char *r_text, size_t p_size) {
	if (!p_os->reaped) {
		snprintf(r_text, p_size, "exited");
	} else if (p_os->killed) {
		snprintf(r_text, p_size, "was terminated");
	} else {
		snprintf(r_text, p_size, "exited with code %lu", (unsigned long)p_os->exit_code);
	}
}

/* ---- spawning ---- */

/* UTF-8 to a malloc'd UTF-16 string; NULL on failure. */
static wchar_t *wc_wide(const char *p_text) {
	int length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, p_text, -1, NULL, 0);
	if (length <= 0) {
		return NULL;
	}
	wchar_t *wide = malloc((size_t)length * sizeof(wchar_t));
	if (wide != NULL && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, p_text, -1, wide, length) != length) {
		free(wide);
		wide = NULL;
	}
	return wide;
}

/* Append p_argument to p_line quoted for CommandLineToArgvW (backslashes doubled before a
 * quote). p_line has room (the caller sized it at 2 * length + 3 per argument). */
static void wc_append_argument(wchar_t *p_line, const wchar_t *p_argument) {
	wchar_t *at = p_line + wcslen(p_line);
	if (at != p_line) {
		*at++ = L' ';
	}
	*at++ = L'"';
	size_t backslashes = 0;
	for (const wchar_t *c = p_argument; *c != L'\0'; c++) {
		if (*c == L'\\') {
			backslashes++;
		} else {
			if (*c == L'"') {
				for (size_t i = 0; i < backslashes + 1; i++) {
					*at++ = L'\\';
				}
			}
			backslashes = 0;
		}
		*at++ = *c;
	}
	for (size_t i = 0; i < backslashes; i++) {
		*at++ = L'\\';
	}
	*at++ = L'"';
	*at = L'\0';
}

/* Godot's environment without our variables (the log level too when p_replace_level), plus
 * p_extra (NAME=value strings, NULL ended). */
static wchar_t *wc_environment(const wchar_t *const *p_extra, bool p_replace_level) {
	static const wchar_t *const ours[] = { L"" BP_ENV_SHM_ADDON "=", L"" BP_ENV_REGION_HANDLE "=", L"" BP_ENV_DOORBELL_PIPE "=",
		L"" BP_ENV_LOG_LEVEL "=" };
	const size_t skipped = sizeof(ours) / sizeof(ours[0]) - (p_replace_level ? 0u : 1u);
	wchar_t *current = GetEnvironmentStringsW();
	if (current == NULL) {
		return NULL;
	}
	size_t total = 1;
	for (const wchar_t *entry = current; *entry != L'\0'; entry += wcslen(entry) + 1) {
		total += wcslen(entry) + 1;
	}
	for (size_t i = 0; p_extra[i] != NULL; i++) {
		total += wcslen(p_extra[i]) + 1;
	}
	wchar_t *block = malloc(total * sizeof(wchar_t));
	if (block != NULL) {
		wchar_t *at = block;
		for (const wchar_t *entry = current; *entry != L'\0'; entry += wcslen(entry) + 1) {
			bool skip = false;
			for (size_t i = 0; i < skipped; i++) {
				skip = skip || _wcsnicmp(entry, ours[i], wcslen(ours[i])) == 0;
			}
			if (!skip) {
				size_t length = wcslen(entry) + 1;
				memcpy(at, entry, length * sizeof(wchar_t));
				at += length;
			}
		}
		for (size_t i = 0; p_extra[i] != NULL; i++) {
			size_t length = wcslen(p_extra[i]) + 1;
			memcpy(at, p_extra[i], length * sizeof(wchar_t));
			at += length;
		}
		*at = L'\0';
	}
	FreeEnvironmentStringsW(current);
	return block;
}

/* The doorbell pipe under a fresh unpredictable name (written to r_name). */
static wc_os_pipe *wc_pipe_create(wchar_t *r_name, size_t p_name_size) {
	unsigned int random[4] = { 0 };
	for (int i = 0; i < 4; i++) {
		rand_s(&random[i]);
	}
	swprintf(r_name, p_name_size, L"\\\\.\\pipe\\godot-webrtc-%lu-%08x%08x%08x%08x", (unsigned long)GetCurrentProcessId(),
			random[0], random[1], random[2], random[3]);
	wc_os_pipe *pipe = calloc(1, sizeof(*pipe));
	if (pipe == NULL) {
		return NULL;
	}
	pipe->connect.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	pipe->write.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	pipe->handle = CreateNamedPipeW(r_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
			PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 4096, 4096, 0, NULL);
	if (pipe->handle == INVALID_HANDLE_VALUE || pipe->connect.hEvent == NULL || pipe->write.hEvent == NULL) {
		DWORD error = GetLastError();
		if (pipe->handle != INVALID_HANDLE_VALUE) {
			CloseHandle(pipe->handle);
		}
		if (pipe->connect.hEvent != NULL) {
			CloseHandle(pipe->connect.hEvent);
		}
		if (pipe->write.hEvent != NULL) {
			CloseHandle(pipe->write.hEvent);
		}
		free(pipe);
		SetLastError(error);
		return NULL;
	}
	/* Start listening now: the worker may connect before we first wait. */
	if (!ConnectNamedPipe(pipe->handle, &pipe->connect)) {
		DWORD error = GetLastError();
		if (error == ERROR_PIPE_CONNECTED) {
			SetEvent(pipe->connect.hEvent);
		}
	}
	return pipe;
}

/* An inheritable duplicate of p_handle (NULL if it is not a valid handle). */
static HANDLE wc_inheritable(HANDLE p_handle) {
	HANDLE copy = NULL;
	if (p_handle == NULL || p_handle == INVALID_HANDLE_VALUE ||
			!DuplicateHandle(GetCurrentProcess(), p_handle, GetCurrentProcess(), &copy, 0, TRUE, DUPLICATE_SAME_ACCESS)) {
		return NULL;
	}
	return copy;
}

static HANDLE wc_kill_on_close_job(void) {
	HANDLE job = CreateJobObjectW(NULL, NULL);
	if (job == NULL) {
		return NULL;
	}
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
	memset(&limits, 0, sizeof(limits));
	limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof(limits))) {
		CloseHandle(job);
		return NULL;
	}
	return job;
}

static void wc_reason(char *r_reason, size_t p_size, const char *p_what) {
	snprintf(r_reason, p_size, "%s failed (Windows error %lu)", p_what, (unsigned long)GetLastError());
}

int wc_os_spawn(wc_os_worker *r_os, const br_shm *p_shm, const char *p_node, bool p_search_path, const char *p_script,
		const char *p_shm_addon, const char *p_log_level, char *r_reason, size_t p_reason_size) {
	wc_os_init(r_os);
	int rc = -1;
	wchar_t pipe_name[96];
	wchar_t *node = wc_wide(p_node);
	wchar_t *script = wc_wide(p_script);
	wchar_t *addon = p_shm_addon != NULL ? wc_wide(p_shm_addon) : NULL;
	wchar_t *line = NULL;
	wchar_t *environment = NULL;
	wchar_t region_entry[64];
	wchar_t pipe_entry[160];
	wchar_t *addon_entry = NULL;
	wchar_t level_entry[64] = L"";
	LPPROC_THREAD_ATTRIBUTE_LIST attributes = NULL;
	HANDLE inherited[4] = { NULL, NULL, NULL, NULL };
	HANDLE job = NULL;
	PROCESS_INFORMATION process;
	memset(&process, 0, sizeof(process));
	wc_os_pipe *pipe = wc_pipe_create(pipe_name, sizeof(pipe_name) / sizeof(pipe_name[0]));
	if (pipe == NULL) {
		wc_reason(r_reason, p_reason_size, "CreateNamedPipeW");
		goto done;
	}
	if (node == NULL || script == NULL || (p_shm_addon != NULL && addon == NULL)) {
		snprintf(r_reason, p_reason_size, "a path is not valid UTF-8, or out of memory");
		goto done;
	}
	/* The handles the worker inherits: the region, then the standard streams. */
	inherited[0] = wc_inheritable(p_shm->handle);
	HANDLE null_input = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	inherited[1] = wc_inheritable(null_input);
	if (null_input != INVALID_HANDLE_VALUE) {
		CloseHandle(null_input);
	}
	inherited[2] = wc_inheritable(GetStdHandle(STD_OUTPUT_HANDLE));
	inherited[3] = wc_inheritable(GetStdHandle(STD_ERROR_HANDLE));
	if (inherited[0] == NULL) {
		wc_reason(r_reason, p_reason_size, "DuplicateHandle (region)");
		goto done;
	}
	HANDLE list[4];
	DWORD listed = 0;
	for (int i = 0; i < 4; i++) {
		if (inherited[i] != NULL) {
			list[listed++] = inherited[i];
		}
	}
	SIZE_T attributes_size = 0;
	InitializeProcThreadAttributeList(NULL, 1, 0, &attributes_size);
	attributes = malloc(attributes_size);
	if (attributes == NULL || !InitializeProcThreadAttributeList(attributes, 1, 0, &attributes_size) ||
			!UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list, listed * sizeof(HANDLE), NULL, NULL)) {
		free(attributes);
		attributes = NULL;
		wc_reason(r_reason, p_reason_size, "UpdateProcThreadAttribute");
		goto done;
	}
	swprintf(region_entry, sizeof(region_entry) / sizeof(region_entry[0]), L"%ls=%llu", L"" BP_ENV_REGION_HANDLE,
			(unsigned long long)(uintptr_t)inherited[0]);
	swprintf(pipe_entry, sizeof(pipe_entry) / sizeof(pipe_entry[0]), L"%ls=%ls", L"" BP_ENV_DOORBELL_PIPE, pipe_name);
	if (addon != NULL) {
		size_t length = wcslen(L"" BP_ENV_SHM_ADDON) + 1 + wcslen(addon) + 1;
		addon_entry = malloc(length * sizeof(wchar_t));
		if (addon_entry != NULL) {
			swprintf(addon_entry, length, L"%ls=%ls", L"" BP_ENV_SHM_ADDON, addon);
		}
	}
	if (p_log_level != NULL) {
		/* A level is one of five short ASCII words (the client checked it). */
		swprintf(level_entry, sizeof(level_entry) / sizeof(level_entry[0]), L"%ls=%hs", L"" BP_ENV_LOG_LEVEL, p_log_level);
	}
	const wchar_t *extra[5] = { region_entry, pipe_entry, NULL, NULL, NULL };
	size_t extras = 2;
	if (p_log_level != NULL) {
		extra[extras++] = level_entry;
	}
	extra[extras] = addon_entry; /* NULL ends the list there */
	environment = wc_environment(extra, p_log_level != NULL);
	line = malloc((2 * (wcslen(node) + wcslen(script)) + 32) * sizeof(wchar_t));
	job = wc_kill_on_close_job();
	if (environment == NULL || line == NULL || (addon != NULL && addon_entry == NULL)) {
		snprintf(r_reason, p_reason_size, "out of memory");
		goto done;
	}
	if (job == NULL) {
		wc_reason(r_reason, p_reason_size, "CreateJobObjectW");
		goto done;
	}
	line[0] = L'\0';
	wc_append_argument(line, node);
	wc_append_argument(line, script);
	wcscat(line, L" --bridge");
	STARTUPINFOEXW startup;
	memset(&startup, 0, sizeof(startup));
	startup.StartupInfo.cb = sizeof(startup);
	startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
	startup.StartupInfo.hStdInput = inherited[1];
	startup.StartupInfo.hStdOutput = inherited[2];
	startup.StartupInfo.hStdError = inherited[3];
	startup.lpAttributeList = attributes;
	/* Without a path (search): lpApplicationName NULL makes CreateProcessW search for the first
	 * word of the command line, ".exe" appended. */
	if (!CreateProcessW(p_search_path ? NULL : node, line, NULL, NULL, TRUE,
				CREATE_NO_WINDOW | CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT, environment,
				NULL, &startup.StartupInfo, &process)) {
		snprintf(r_reason, p_reason_size, "%s: CreateProcessW failed (Windows error %lu)", p_node, (unsigned long)GetLastError());
		goto done;
	}
	if (!AssignProcessToJobObject(job, process.hProcess)) {
		wc_reason(r_reason, p_reason_size, "AssignProcessToJobObject");
		TerminateProcess(process.hProcess, 1);
		CloseHandle(process.hThread);
		CloseHandle(process.hProcess);
		goto done;
	}
	ResumeThread(process.hThread);
	CloseHandle(process.hThread);
	pipe->expected_pid = process.dwProcessId;
	r_os->process = process.hProcess;
	r_os->job = job;
	r_os->pipe = pipe;
	r_os->id = (int32_t)process.dwProcessId;
	job = NULL;
	pipe = NULL;
	rc = 0;
done:
	if (pipe != NULL) {
		CloseHandle(pipe->handle);
		CloseHandle(pipe->connect.hEvent);
		CloseHandle(pipe->write.hEvent);
		free(pipe);
	}
	if (job != NULL) {
		CloseHandle(job);
	}
	for (int i = 0; i < 4; i++) {
		if (inherited[i] != NULL) {
			CloseHandle(inherited[i]); /* the worker has its copies */
		}
	}
	if (attributes != NULL) {
		DeleteProcThreadAttributeList(attributes);
		free(attributes);
	}
	free(environment);
	free(line);
	free(addon_entry);
	free(addon);
	free(script);
	free(node);
	return rc;
}

#else
typedef int wc_platform_windows_not_built; /* POSIX: wc_platform_posix.c */
#endif
