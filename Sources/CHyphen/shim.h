// The public header of the system's libhyphen (Debian: libhyphen-dev).
#include <hyphen.h>
