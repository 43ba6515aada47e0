/* Boot-test stand-in for the AWS CLI v2 executable (dist/aws). Like the real PyInstaller binary it
 * needs libz.so.1 at load time. "--version" answers like AWS CLI v2; anything else runs Debian's
 * /usr/bin/aws, with --endpoint-url "$AWS_ENDPOINT_URL" when that is set (Debian's 2.9 ignores it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#ifndef AWS_CLI_VERSION
#error "build with -DAWS_CLI_VERSION=..."
#endif

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    struct utsname u;
    uname(&u);
    /* zlibVersion(): the libz dependency is real, as in the PyInstaller bootloader */
    if (zlibVersion()[0] == '\0') return 1;
    printf("aws-cli/%s Python/3.11.0 Linux/%s exe/x86_64.debian.12 (genomics-batch stand-in)\n",
           AWS_CLI_VERSION, u.release);
    return 0;
  }
  const char *endpoint = getenv("AWS_ENDPOINT_URL");
  char **args = calloc((size_t)argc + 3, sizeof(char *));
  if (args == NULL) return 255;
  int n = 0;
  args[n++] = "/usr/bin/aws";
  if (endpoint != NULL && *endpoint != '\0') {
    args[n++] = "--endpoint-url";
    args[n++] = (char *)endpoint;
  }
  for (int i = 1; i < argc; i++) args[n++] = argv[i];
  args[n] = NULL;
  execv(args[0], args);
  perror("aws (genomics-batch stand-in): /usr/bin/aws");
  return 255;
}
