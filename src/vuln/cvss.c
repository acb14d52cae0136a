/* mamori — CVSS v3.0/v3.1 base score from a vector string, per the FIRST
 * CVSS v3.1 Specification §7.1 (base equations) and Appendix A (Roundup: the
 * smallest number with one decimal ≥ the input, computed on integers to
 * avoid floating-point surprises). Severity bands per §5 (Qualitative Scale). */
#include "vuln_int.h"

#include <math.h>
#include <strings.h>

static double roundup(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

static int metric(const char *v, const char *name, const char *vals, char *out)
{
	char pat[8];
	snprintf(pat, sizeof(pat), "/%s:", name);
	const char *p = strstr(v, pat);
	if (!p)
		return -1;
	char c = p[strlen(pat)];
	char next = c ? p[strlen(pat) + 1] : 0;
	if (!c || (next && next != '/') || !strchr(vals, c))
		return -1;
	*out = c;
	return 0;
}

int mm_cvss3_base_score(const char *vector, double *score)
{
	if (!vector || (strncmp(vector, "CVSS:3.1/", 9) && strncmp(vector, "CVSS:3.0/", 9)))
		return MM_EPARSE;
	const char *v = vector + 8; /* from the "/" */
	char av, ac, pr, ui, s, c, i, a;
	if (metric(v, "AV", "NALP", &av) || metric(v, "AC", "LH", &ac) ||
	    metric(v, "PR", "NLH", &pr) || metric(v, "UI", "NR", &ui) || metric(v, "S", "UC", &s) ||
	    metric(v, "C", "HLN", &c) || metric(v, "I", "HLN", &i) || metric(v, "A", "HLN", &a))
		return MM_EPARSE;
	bool changed = s == 'C';
	double wav = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : 0.2;
	double wac = ac == 'L' ? 0.77 : 0.44;
	double wpr = pr == 'N' ? 0.85 : pr == 'L' ? (changed ? 0.68 : 0.62) : (changed ? 0.5 : 0.27);
	double wui = ui == 'N' ? 0.85 : 0.62;
#define CIA(x) ((x) == 'H' ? 0.56 : (x) == 'L' ? 0.22 : 0.0)
	double iss = 1.0 - ((1.0 - CIA(c)) * (1.0 - CIA(i)) * (1.0 - CIA(a)));
#undef CIA
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * wav * wac * wpr * wui;
	if (impact <= 0)
		*score = 0.0;
	else if (changed)
		*score = roundup(MM_MIN(1.08 * (impact + expl), 10.0));
	else
		*score = roundup(MM_MIN(impact + expl, 10.0));
	return MM_OK;
}

enum mm_vuln_level mm_cvss_level(double score)
{
	if (score < 0)
		return MM_VL_UNKNOWN;
	if (score == 0.0)
		return MM_VL_NONE;
	if (score < 4.0)
		return MM_VL_LOW;
	if (score < 7.0)
		return MM_VL_MEDIUM;
	if (score < 9.0)
		return MM_VL_HIGH;
	return MM_VL_CRITICAL;
}

static const char *const g_levels[] = {"none", "low", "medium", "high", "critical", "unknown"};

const char *mm_vuln_level_name(enum mm_vuln_level l)
{
	return (unsigned)l < MM_ARRAY_LEN(g_levels) ? g_levels[l] : "unknown";
}

int mm_vuln_level_from_name(const char *s, enum mm_vuln_level *out)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_levels); i++)
		if (s && !strcasecmp(s, g_levels[i])) {
			*out = (enum mm_vuln_level)i;
			return MM_OK;
		}
	if (s && !strcasecmp(s, "moderate")) { /* GitHub/OSV database_specific wording */
		*out = MM_VL_MEDIUM;
		return MM_OK;
	}
	if (s && !strcasecmp(s, "important")) { /* Red Hat's */
		*out = MM_VL_HIGH;
		return MM_OK;
	}
	return MM_EINVAL;
}
