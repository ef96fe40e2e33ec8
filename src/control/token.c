/*
 * control/token.c: self-report links (自我申报): a random 256-bit token per
 * order (libsodium randombytes_buf), given to the person as 64 hex digits;
 * only its SHA-256 is stored, so a stolen database yields no usable link.
 * A token is valid while its order runs and until it is revoked.
 */
#include <sodium.h>
#include "internal.h"

/* SHA-256 of the token text, as 64 hex digits. */
static void token_hash(const char *token, char hex[EG_TOKEN_BUFSZ])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, EG_TOKEN_BUFSZ, h, sizeof h);
}

/* 1 if the order may report by itself: running and home-based. */
static int home_based(const eg_ctl_order *o)
{
    return eg_control_is_running(o->state) &&
           (strcmp(o->measure, "home_quarantine") == 0 || strcmp(o->measure, "post_discharge_observation") == 0);
}

/* See epigrid/control.h. */
eg_err eg_control_token_issue(eg_store *s, const char *oid, const char *actor, eg_time now, char *token,
                              eg_diag *d)
{
    unsigned char raw[32];
    char hex[EG_TOKEN_BUFSZ];
    eg_ctl_order o;
    eg_err e;
    if (sodium_init() < 0)
        return eg_diag_set(d, EG_ERR_UNSUPPORTED, NULL, 0, NULL, "libsodium cannot start");
    if ((e = ctl_find_order(s, oid, &o, d)))
        return e;
    if (!home_based(&o))
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "the order is %s/%s: self-report links are for "
                           "running home quarantine or observation after discharge", o.measure, o.state);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, EG_TOKEN_BUFSZ, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    token_hash(token, hex);
    if ((e = eg_store_ctl_token_add(s, hex, o.id, now, actor)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return EG_OK;
}

/* See epigrid/control.h. */
eg_err eg_control_token_revoke(eg_store *s, const char *oid, eg_time now, long *n, eg_diag *d)
{
    eg_ctl_order o;
    long k = 0;
    eg_err e = ctl_find_order(s, oid, &o, d);
    if (e)
        return e;
    e = eg_store_ctl_token_revoke(s, o.id, now, &k);
    if (n)
        *n = k;
    return e;
}

/* See epigrid/control.h. */
eg_err eg_control_token_check(eg_store *s, const char *token, eg_ctl_order *out)
{
    char hex[EG_TOKEN_BUFSZ];
    int64_t id;
    eg_time revoked;
    eg_err e;
    if (!token || strlen(token) != EG_TOKEN_BUFSZ - 1 || sodium_init() < 0)
        return EG_ERR_NOT_FOUND;
    token_hash(token, hex);
    if ((e = eg_store_ctl_token_find(s, hex, &id, &revoked)))
        return e;
    if ((e = eg_store_ctl_order_by_id(s, id, out)))
        return e;
    return revoked || !home_based(out) ? EG_ERR_PERM : EG_OK;
}
