/* mamori — the default ruleset compiled into the binary (rules/ of the source
 * tree, embedded by cmake/embed.cmake as mm_embedded_rules[]). Each file is
 * loaded like a rule file whose path is "builtin:<path>". */
#include "detect_int.h"

int mm_ruleset_add_builtin(struct mm_ruleset *rs, struct mm_error *err)
{
	for (size_t i = 0; i < mm_embedded_rules_count; i++) {
		const struct mm_embedded_file *f = &mm_embedded_rules[i];
		char *name = mm__rs_printf(rs, "builtin:%s", f->path);
		int rc = mm_ruleset_add_buffer(rs, name, f->data, f->len, err);
		if (rc)
			return rc;
	}
	return MM_OK;
}
