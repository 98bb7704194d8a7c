// The public header of the system's mimalloc (Debian: libmimalloc-dev). Linking the library
// is what matters: it replaces malloc and free for the whole process.
#include <mimalloc.h>
