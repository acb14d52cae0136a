/* mamori — private to src/mail/: the rule table shared by the MTA-log
 * analyzers (analyzer.c) and the message verdicts of `mamori mail`
 * (check.c), so both emit alerts under stable rule ids. */
#ifndef MAMORI_MAIL_INT_H
#define MAMORI_MAIL_INT_H

#include "mamori/mail.h"

enum mm__mail_rule {
	MM__MR_RELAY,
	MM__MR_RELAY_SASL,
	MM__MR_BURST,
	MM__MR_MASS,
	MM__MR_BOUNCE,
	MM__MR_LISTED,
	MM__MR_PHISH,      /* `mamori mail` verdict phishing */
	MM__MR_SUSPICIOUS, /* `mamori mail` verdict suspicious */
	MM__MR_COUNT
};

extern const struct mm_rule_info mm__mail_rules[MM__MR_COUNT];

#endif
