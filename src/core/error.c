/* mamori — status strings and user-facing errors (struct mm_error), plus the
 * single out-of-memory hook every allocation goes through. */
#include "mamori/core.h"

#include <stdlib.h>
#include <string.h>

const char *mm_strerror(int code)
{
	switch (code) {
	case MM_OK: return "ok";
	case MM_ENOMEM: return "out of memory";
	case MM_EINVAL: return "invalid argument";
	case MM_EIO: return "input/output error";
	case MM_EPARSE: return "parse error";
	case MM_ELIMIT: return "limit reached";
	case MM_ENOTSUP: return "not supported";
	case MM_ENOENT: return "not found";
	case MM_EEXIST: return "already exists";
	case MM_EDB: return "database error";
	default: return "unknown error";
	}
}

void mm_error_clear(struct mm_error *e)
{
	if (!e)
		return;
	e->code = MM_OK;
	e->line = e->col = 0;
	e->path[0] = '\0';
	e->msg[0] = '\0';
}

int mm_error_set(struct mm_error *e, int code, const char *path, unsigned line, unsigned col,
                 const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	e->line = line;
	e->col = col;
	snprintf(e->path, sizeof(e->path), "%s", path ? path : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void mm_error_format(const struct mm_error *e, char *buf, size_t n)
{
	if (!n)
		return;
	if (e->path[0] && e->line)
		snprintf(buf, n, "%s:%u:%u: %s", e->path, e->line, e->col, e->msg);
	else if (e->path[0])
		snprintf(buf, n, "%s: %s", e->path, e->msg);
	else
		snprintf(buf, n, "%s", e->msg[0] ? e->msg : mm_strerror(e->code));
}

_Noreturn void mm_oom(void)
{
	static const char msg[] = "mamori: out of memory\n";
	fwrite(msg, 1, sizeof(msg) - 1, stderr);
	abort();
}

void *mm_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		mm_oom();
	return p;
}

void *mm_calloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		mm_oom();
	return p;
}

void *mm_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		mm_oom();
	return q;
}

char *mm_strdup(const char *s)
{
	return mm_strndup(s, strlen(s));
}

char *mm_strndup(const char *s, size_t n)
{
	char *p = mm_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
