// The public header of the system's Snowball libstemmer (Debian: libstemmer-dev).
#include <libstemmer.h>
