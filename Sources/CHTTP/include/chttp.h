#ifndef GUIDE_CHTTP_H
#define GUIDE_CHTTP_H

/// What one request learnt: the status, where redirects ended, or why nothing came.
typedef struct {
    /// The HTTP status of the last answer, or 0 when no answer came.
    long status;
    /// 1 when the server was too slow, 0 otherwise.
    int timed_out;
    /// The address redirects ended at (the address asked for when there were none).
    char final_url[2048];
    /// libcurl's words for what went wrong, when no answer came.
    char problem[256];
} guide_http_answer;

/// Asks `url` with HEAD (`head` 1) or GET (`head` 0), following redirects, giving up when
/// no byte comes for `timeout_seconds` or the whole exchange takes twice that. A GET stops
/// reading at the first byte of the final page's body: the status is all a check needs.
/// Returns 0 with `answer` filled in (even when the server could not be reached), or -1
/// when libcurl cannot be loaded, with the reason in `answer->problem`.
int guide_http_request(const char *url, int head, long timeout_seconds, const char *user_agent, guide_http_answer *answer);

#endif
