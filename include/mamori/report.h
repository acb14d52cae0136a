/* mamori — the management report: incidents, evidence, estimated loss, what
 * the logs cannot show, and what to do, for one period, in Japanese or
 * English, as one self-contained HTML file (inline CSS and SVG), Markdown or
 * JSON. Pipeline position: store (alerts, incidents, findings, runs) → report.
 * Rendering: src/report/; strings: src/report/strings.def. */
#ifndef MAMORI_REPORT_H
#define MAMORI_REPORT_H

#include "mamori/incident.h"

enum mm_report_format { MM_REPORT_HTML, MM_REPORT_MD, MM_REPORT_JSON };
enum mm_report_lang { MM_LANG_EN, MM_LANG_JA };

struct mm_report_opts {
	int64_t from, to;            /* the period [from, to), ns UTC */
	const char *period_label;    /* "2023-01" or "2023-01-01 – 2023-01-15" (borrowed) */
	enum mm_report_lang lang;
	enum mm_report_format format;
	struct mm_tz *tz;            /* times are shown in this zone (borrowed); NULL = UTC */
	const struct mm_loss_params *loss; /* borrowed; NULL = defaults */
	int64_t generated;           /* wall-clock time printed as "generated", ns */
	size_t evidence_per_incident; /* evidence references per incident (0 = 5) */
	size_t top;                  /* incidents in the "top incidents" section (0 = 5) */
};

/* Write the report for o->from..o->to into out (appended). Reads the store
 * only (run mm_incident_update first). MM_OK, MM_EDB or MM_ELIMIT (out's cap)
 * with err filled. */
int mm_report_write(struct mm_store *s, const struct mm_report_opts *o, struct mm_buf *out,
                    struct mm_error *err);

/* Escaping of text that came from logs, mail or files (untrusted):
 * HTML: & < > " ' become entities; control characters are shown as \xHH;
 * invalid UTF-8 becomes U+FFFD. Safe in element content and quoted attributes. */
int mm_report_html_escape(struct mm_buf *b, const char *s, size_t n);
/* Markdown (CommonMark + GFM): backslash-escapes every character that can
 * start markup (\ ` * _ [ ] ( ) < > # ! | ~ & : and the dot after "www"), so
 * no link, image, autolink, HTML tag, code span or table cell break survives;
 * line breaks become spaces; control characters \xHH; invalid UTF-8 U+FFFD. */
int mm_report_md_escape(struct mm_buf *b, const char *s, size_t n);
/* Markdown fenced code block holding one untrusted line: the fence is longer
 * than any backtick run inside, control characters are shown as \xHH. */
int mm_report_md_code_block(struct mm_buf *b, const char *s, size_t n);

#endif
