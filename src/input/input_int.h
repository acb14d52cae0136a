/* mamori — input subsystem internals shared by input.c and evtx_render.c
 * (not part of the public API; src/input is a PRIVATE include path). */
#ifndef MAMORI_INPUT_INT_H
#define MAMORI_INPUT_INT_H

#include "mamori/core.h"

/* Render one Windows event record, given as the XML text libevtx produces
 * (<Event><System>…</System><EventData><Data Name="X">v</Data>…), as one
 * compact JSON object in the shape of evtx_dump's JSON output and SigmaHQ's
 * regression data: {"Event":{"System":{"EventID":"4625",
 * "Provider":{"#attributes":{"Name":…}},…},"EventData":{"X":"v",…}}}.
 * Appends to out (borrowed; its cap bounds the output). Returns MM_OK,
 * MM_EPARSE (not well-formed, or nesting/node caps passed) or MM_ELIMIT
 * (out's cap). Never reads past n; xml need not be NUL-terminated. */
int mm__evtx_render(const char *xml, size_t n, struct mm_buf *out);

#endif
