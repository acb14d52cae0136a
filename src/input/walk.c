/* mamori — path walking for `scan PATH…`: files as given, directories
 * recursively in sorted order (deterministic output), filtered by a glob on
 * the base name. Symlinked directories are not followed (no loops). */
#include "mamori/input.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(const char *dir, const char *glob, mm_walk_fn cb, void *ud, int depth,
                    struct mm_error *err)
{
	if (depth > 64)
		return mm_error_set(err, MM_ELIMIT, dir, 0, 0, "directory nesting deeper than 64");
	DIR *d = opendir(dir);
	if (!d)
		return mm_error_set(err, MM_EIO, dir, 0, 0, "cannot open directory: %s",
		                    strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = mm_realloc(names, cap * sizeof(*names));
		}
		names[n++] = mm_strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp);
	int rc = 0;
	size_t i;
	for (i = 0; i < n && rc == 0; i++) {
		size_t l = strlen(dir) + strlen(names[i]) + 2;
		char *p = mm_malloc(l);
		snprintf(p, l, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk_dir(p, glob, cb, ud, depth + 1, err);
			else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
			         (!glob || fnmatch(glob, names[i], 0) == 0))
				rc = cb(ud, p);
		}
		free(p);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int mm_walk(const char *const *paths, size_t n, const char *glob, mm_walk_fn cb, void *ud,
            struct mm_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int rc;
		if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk_dir(paths[i], glob, cb, ud, 0, err);
		else
			rc = cb(ud, paths[i]);
		if (rc)
			return rc;
	}
	return 0;
}
