/* mamori — diagnostics on stderr, with a level set once by the CLI. Not for
 * hot paths: decoders and matchers count outcomes instead of logging. */
#include "mamori/core.h"

static enum mm_log_level g_level = MM_LOG_WARN;

void mm_log_set_level(enum mm_log_level lvl)
{
	g_level = lvl;
}

void mm_log(enum mm_log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	if (lvl > g_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "mamori: %s: ", names[lvl]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
