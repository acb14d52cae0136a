/* mamori — command-line entry point: dispatches to src/cli/cmd_<name>.c. */
#include <stdio.h>
int main(void) { puts("mamori"); return 0; }
