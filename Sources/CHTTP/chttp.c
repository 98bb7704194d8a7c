// HTTP requests for `guide check --external`, through the system's libcurl.
//
// libcurl (and the TLS, Kerberos and LDAP libraries it brings) is loaded with dlopen the
// first time a link is checked, not when guide starts: every build, check and parse worker
// would otherwise pay for loading about thirty libraries it never uses.
#include "chttp.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    int loaded;
    char load_problem[256];
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void load_curl(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(curl.load_problem, sizeof curl.load_problem, "libcurl could not be loaded (%s)", dlerror());
        return;
    }
#define FIND(field, name)                                                                              \
    if (!(*(void **)&curl.field = dlsym(library, name))) {                                             \
        snprintf(curl.load_problem, sizeof curl.load_problem, "libcurl has no %s", name);              \
        return;                                                                                        \
    }
    FIND(global_init, "curl_global_init")
    FIND(easy_init, "curl_easy_init")
    FIND(easy_setopt, "curl_easy_setopt")
    FIND(easy_perform, "curl_easy_perform")
    FIND(easy_getinfo, "curl_easy_getinfo")
    FIND(easy_cleanup, "curl_easy_cleanup")
    FIND(easy_strerror, "curl_easy_strerror")
#undef FIND
    // Not thread-safe in older libcurl, so once, here.
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(curl.load_problem, sizeof curl.load_problem, "libcurl could not start");
        return;
    }
    curl.loaded = 1;
}

struct transfer {
    CURL *handle;
    int stopped;
};

// The body is not needed. A redirect's body is read past (libcurl then follows it); the
// final page's is not read at all.
static size_t skip_body(char *data, size_t size, size_t count, void *user) {
    (void)data;
    struct transfer *transfer = user;
    long status = 0;
    curl.easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 300 && status < 400) return size * count;
    transfer->stopped = 1;
    return 0;
}

int guide_http_request(const char *url, int head, long timeout_seconds, const char *user_agent, guide_http_answer *answer) {
    memset(answer, 0, sizeof *answer);
    pthread_once(&curl_once, load_curl);
    if (!curl.loaded) {
        snprintf(answer->problem, sizeof answer->problem, "%s", curl.load_problem);
        return -1;
    }
    CURL *handle = curl.easy_init();
    if (!handle) {
        snprintf(answer->problem, sizeof answer->problem, "libcurl could not start a request");
        return -1;
    }
    char error[CURL_ERROR_SIZE] = "";
    struct transfer transfer = {handle, 0};
    curl.easy_setopt(handle, CURLOPT_URL, url);
    curl.easy_setopt(handle, CURLOPT_NOBODY, head ? 1L : 0L);
    curl.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(handle, CURLOPT_MAXREDIRS, 16L);
    curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_USERAGENT, user_agent);
    curl.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, timeout_seconds);
    // No byte for timeout_seconds is "no answer", as is a whole exchange over twice that.
    curl.easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl.easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, timeout_seconds);
    curl.easy_setopt(handle, CURLOPT_TIMEOUT, timeout_seconds * 2);
    // Threads ask at once; signals for timeouts would cross them.
    curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, skip_body);
    curl.easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
    curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, error);

    CURLcode code = curl.easy_perform(handle);
    if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && transfer.stopped)) {
        curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer->status);
        char *final_url = NULL;
        if (curl.easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url) {
            snprintf(answer->final_url, sizeof answer->final_url, "%s", final_url);
        }
    } else {
        answer->timed_out = code == CURLE_OPERATION_TIMEDOUT;
        snprintf(answer->problem, sizeof answer->problem, "%s", error[0] ? error : curl.easy_strerror(code));
    }
    curl.easy_cleanup(handle);
    return 0;
}
