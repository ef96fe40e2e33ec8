/*
 * auth/users.c: creating user accounts: the checks of a new account
 * (name, role, division, the staff row it is for) and adding it with an
 * argon2id hash of its password. Used by `epigrid user add`, the drill's
 * accounts and POST /api/v1/users.
 */
#include <stdio.h>
#include <string.h>
#include "epigrid/auth.h"
#include "epigrid/juris.h"

/* What the staff scan looks for and finds. */
typedef struct staff_find {
    const char *id;
    int found;
    char role[40];
    char juris[EG_CODE_BUFSZ];
} staff_find;

static eg_err find_staff(void *ctx, const eg_staff_rec *r)
{
    staff_find *f = ctx;
    if (strcmp(r->staff_id, f->id) != 0)
        return EG_OK;
    f->found = 1;
    snprintf(f->role, sizeof f->role, "%s", r->role);
    snprintf(f->juris, sizeof f->juris, "%s", r->juris_code);
    return EG_ERR_EOF;   /* stop */
}

static eg_err no_op(void *ctx, const eg_user_rec *u)
{
    (void)ctx, (void)u;
    return EG_OK;
}

eg_err eg_user_check(eg_store *s, const eg_juris *j, const char *name, const char *role,
                     const char *juris, const char *staff_id, char *juris_out, eg_diag *d)
{
    eg_role r;
    staff_find f = { staff_id, 0, "", "" };
    size_t n = strlen(name);
    eg_err e;
    if (n == 0 || n > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "name",
                           "a user name is 1 to 64 letters, digits, '.', '_' or '-'");
    if (eg_role_parse(role, &r))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "role",
                           "'%s' is not a role (admin, commander, township_officer, grid_worker, "
                           "checkpoint_staff, clinician, analyst)", role);
    if (strlen(juris) >= 64 || eg_code_short(juris, juris_out) || !eg_juris_find(j, juris_out))
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "juris", "'%s' is not a division of the tree", juris);
    if (!staff_id || !*staff_id)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "staff_id", "the staff row of the account is required");
    e = eg_store_staff_each(s, NULL, find_staff, &f);
    if (e && e != EG_ERR_EOF)
        return eg_diag_set(d, e, NULL, 0, NULL, "cannot read staff: %s", eg_store_errmsg(s));
    if (!f.found)
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "staff_id", "no staff row '%s'", staff_id);
    if (!eg_role_fits_staff(r, f.role))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "role", "a %s account is not for staff of role %s", role,
                           f.role);
    if (!eg_code_lies_in(juris_out, f.juris))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "juris",
                           "the account's division %s is outside its staff row's division %s", juris_out,
                           f.juris);
    e = eg_store_user_get(s, name, 0, no_op, NULL);
    if (e == EG_OK)
        return eg_diag_set(d, EG_ERR_EXISTS, NULL, 0, "name", "the user '%s' exists already", name);
    if (e != EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, NULL, "cannot read users: %s", eg_store_errmsg(s));
    return EG_OK;
}

eg_err eg_user_create(eg_store *s, const eg_juris *j, const char *name, const char *role, const char *juris,
                      const char *staff_id, const char *password, eg_time now, int64_t *id, eg_diag *d)
{
    char code[EG_CODE_BUFSZ], hash[EG_PWHASH_BUFSZ];
    eg_err e = eg_user_check(s, j, name, role, juris, staff_id, code, d);
    if (e)
        return e;
    if (eg_auth_init())
        return eg_diag_set(d, EG_ERR_UNSUPPORTED, NULL, 0, NULL, "libsodium cannot start");
    if ((e = eg_password_hash(password, hash)))
        return eg_diag_set(d, e, NULL, 0, "password", e == EG_ERR_INVALID
                           ? "a password is %d to %d bytes" : "cannot hash the password",
                           EG_PASSWORD_MIN, EG_PASSWORD_MAX);
    eg_user_rec u = { .name = name, .role = role, .juris_code = code, .staff_id = staff_id, .pw_hash = hash,
                      .active = 1, .created_at = now };
    e = eg_store_user_add(s, &u, id);
    if (e)
        return eg_diag_set(d, e, NULL, 0, e == EG_ERR_EXISTS ? "name" : NULL, "%s",
                           e == EG_ERR_EXISTS ? "the user exists already" : eg_store_errmsg(s));
    return EG_OK;
}
