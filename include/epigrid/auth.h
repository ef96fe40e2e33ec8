/*
 * epigrid/auth.h: user accounts, roles, sessions and jurisdiction scopes
 * of the server (spec/api.md, "Roles"), and the store operations behind
 * them (schema version 6).
 *
 * Passwords are stored as argon2id strings (libsodium crypto_pwhash_str,
 * interactive limits); a session token is 32 random bytes sent to the
 * client as 64 hex digits and stored only as its BLAKE2b hash
 * (crypto_generichash). A scope is the subtree of the user's division:
 * every query that returns persons or their records takes one, so a
 * person outside it does not exist for the user (spec/api.md: 404).
 */
#ifndef EPIGRID_AUTH_H
#define EPIGRID_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Account roles of spec/api.md. */
typedef enum eg_role {
    EG_ROLE_ADMIN = 0,
    EG_ROLE_COMMANDER,
    EG_ROLE_TOWNSHIP,     /* township_officer */
    EG_ROLE_GRID,         /* grid_worker */
    EG_ROLE_CHECKPOINT,   /* checkpoint_staff */
    EG_ROLE_CLINICIAN,
    EG_ROLE_ANALYST,
    EG_ROLE__COUNT
} eg_role;

/* Bit of a role in a set of roles (the route table's `roles`). */
#define EG_ROLE_BIT(r) (1u << (unsigned)(r))
#define EG_ROLES_ALL ((1u << EG_ROLE__COUNT) - 1u)

/* Name of a role as in the API ("grid_worker"). Static; "unknown" else. */
const char *eg_role_name(eg_role r);
/* Parse a role name. Returns EG_OK or EG_ERR_INVALID. */
eg_err eg_role_parse(const char *s, eg_role *out);
/* 1 if a staff row of role `staff_role` (staff.h) may hold an account of
 * role `r` (the table of spec/api.md; admin: any staff), else 0. */
int eg_role_fits_staff(eg_role r, const char *staff_role);
/* 1 if role `r` sees unmasked identity numbers and phones of persons in
 * its scope (township_officer, grid_worker), else 0. */
int eg_role_sees_unmasked(eg_role r);

/* Bytes of a session token and lengths of its hex forms (with NUL). */
#define EG_TOKEN_BYTES 32
#define EG_TOKEN_HEXSZ (2 * EG_TOKEN_BYTES + 1)
/* Longest stored password hash (crypto_pwhash_STRBYTES) plus margin. */
#define EG_PWHASH_BUFSZ 160
/* Shortest and longest accepted password (bytes). */
#define EG_PASSWORD_MIN 8
#define EG_PASSWORD_MAX 1024

/* Initialise libsodium (idempotent, thread-safe). EG_OK or EG_ERR_UNSUPPORTED. */
eg_err eg_auth_init(void);
/* Hash a password with argon2id into out (EG_PWHASH_BUFSZ). Returns
 * EG_OK, EG_ERR_INVALID (too short/long), EG_ERR_NOMEM (the hash's memory). */
eg_err eg_password_hash(const char *password, char *out);
/* 1 if `password` matches `hash`, else 0. */
int eg_password_verify(const char *hash, const char *password);
/* A new random token (hex, EG_TOKEN_HEXSZ) and the hash to store (hex,
 * EG_TOKEN_HEXSZ). */
void eg_token_new(char *token_hex, char *hash_hex);
/* The stored hash of a presented token (hex, EG_TOKEN_HEXSZ). Returns
 * EG_OK or EG_ERR_INVALID (not 64 hex digits). */
eg_err eg_token_hash(const char *token_hex, char *hash_hex);
/* The CSRF token of a session (hex, EG_TOKEN_HEXSZ): a keyed hash of the
 * session token, so nothing more is stored. */
void eg_token_csrf(const char *token_hex, char *csrf_hex);
/* A random password of `len` characters (letters and digits, no look-alikes)
 * into out (len + 1 bytes). */
void eg_password_random(char *out, size_t len);
/* Compare two NUL-terminated strings in constant time (for equal lengths). */
int eg_auth_streq(const char *a, const char *b);

/* ---- store: users, sessions, login throttling ---- */

/* One user account. */
typedef struct eg_user_rec {
    int64_t id;              /* set by the store */
    const char *name;        /* login name, unique */
    const char *role;        /* eg_role_name */
    const char *juris_code;  /* short code of the scope */
    const char *staff_id;    /* the staff row the account is for */
    const char *pw_hash;     /* argon2id string */
    int active;              /* 0 once revoked */
    eg_time created_at;
    eg_time revoked_at;      /* 0 when active */
} eg_user_rec;

typedef eg_err (*eg_user_fn)(void *ctx, const eg_user_rec *r);

/* Add a user; *id (may be NULL) receives its id. EG_ERR_EXISTS when the
 * name is taken. */
eg_err eg_store_user_add(eg_store *s, const eg_user_rec *r, int64_t *id);
/* The user named `name` (NULL: by id `id`). EG_ERR_NOT_FOUND when none. */
eg_err eg_store_user_get(eg_store *s, const char *name, int64_t id, eg_user_fn fn, void *ctx);
/* Every user, by id. */
eg_err eg_store_user_each(eg_store *s, eg_user_fn fn, void *ctx);
/* Set a user's password hash. EG_ERR_NOT_FOUND when no such user. */
eg_err eg_store_user_set_password(eg_store *s, int64_t id, const char *pw_hash);
/* Revoke a user (inactive from `at`) and every session of theirs.
 * EG_ERR_NOT_FOUND when no such user. */
eg_err eg_store_user_revoke(eg_store *s, int64_t id, eg_time at);

/* Store a session: the token's hash, its user, when it was made and when
 * it expires, and the client address. */
eg_err eg_store_session_add(eg_store *s, const char *token_hash, int64_t user_id, eg_time created,
                            eg_time expires, const char *addr);
/* Call fn with the user of the session whose token hash is `token_hash`
 * when it is neither revoked nor expired at `now` and the user is active;
 * EG_ERR_NOT_FOUND otherwise. */
eg_err eg_store_session_user(eg_store *s, const char *token_hash, eg_time now, eg_user_fn fn,
                             void *ctx);
/* Revoke one session (logout). EG_ERR_NOT_FOUND when there is none. */
eg_err eg_store_session_revoke(eg_store *s, const char *token_hash, eg_time at);

/* Failed logins per key ("user:NAME", "addr:IP") in real (POSIX) seconds:
 * add one failure at `unix_now`; read the count and the last failure;
 * clear the key (after a successful login). */
eg_err eg_store_login_fail(eg_store *s, const char *key, int64_t unix_now);
eg_err eg_store_login_state(eg_store *s, const char *key, long *failures, int64_t *last_unix);
eg_err eg_store_login_clear(eg_store *s, const char *key);

/* Savepoints inside an open transaction (the server's writer runs each
 * request's changes in one, so that one failing request does not undo
 * the others of its batch): set, release, roll back to. */
eg_err eg_store_savepoint(eg_store *s);
eg_err eg_store_savepoint_release(eg_store *s);
eg_err eg_store_savepoint_rollback(eg_store *s);
/* Make commits durable against power loss (SQLite synchronous = FULL)
 * when `on`, else the default (NORMAL: durable against a crash of the
 * process). */
eg_err eg_store_durable(eg_store *s, int on);

/* Write-ahead log: set how many pages the log may hold before a commit
 * copies it back (0: never; the server's checkpointer does it), and copy
 * back what can be without waiting for readers (a passive checkpoint). */
eg_err eg_store_wal_autocheckpoint(eg_store *s, int pages);
eg_err eg_store_wal_checkpoint(eg_store *s);

/* ---- creating accounts (src/auth/users.c) ---- */

struct eg_juris;
/*
 * Check a new account before it is added: `name` 1..64 characters of
 * letters, digits, '.', '_', '-'; `role` an account role; `juris` a node
 * of the tree `j` (its short code written to juris_out, EG_CODE_BUFSZ);
 * `staff_id` an existing staff row whose role fits the account role
 * (eg_role_fits_staff) and whose node contains `juris`; the name not yet
 * taken. Returns EG_OK; EG_ERR_INVALID, EG_ERR_NOT_FOUND (staff or juris),
 * EG_ERR_EXISTS (name taken), EG_ERR_DB; `d` says which field and why.
 */
eg_err eg_user_check(eg_store *s, const struct eg_juris *j, const char *name, const char *role,
                     const char *juris, const char *staff_id, char *juris_out, eg_diag *d);
/* Check, hash the password and add the account (one call for the CLI and
 * the drill). *id (may be NULL) receives its id. */
eg_err eg_user_create(eg_store *s, const struct eg_juris *j, const char *name, const char *role,
                      const char *juris, const char *staff_id, const char *password, eg_time now,
                      int64_t *id, eg_diag *d);

/* ---- scoped reads (the scope is enforced in the query) ---- */

/* Up to this many subtrees inside a scope's code range that belong
 * elsewhere in the tree (Meihekou 220581 lies in 2205 by its code but is
 * administered by the province). */
#define EG_SCOPE_MAX_EXCLUDE 4

/* A scope: persons and records whose juris_code lies in `code` (by code;
 * "" = everything), an exact match only when `exact` (grids), minus the
 * codes in `exclude`. Build with eg_scope_for (http) or by hand. */
typedef struct eg_scope {
    char code[EG_CODE_BUFSZ];
    int exact;
    char exclude[EG_SCOPE_MAX_EXCLUDE][EG_CODE_BUFSZ];
    int n_exclude;
} eg_scope;

/* 1 if short code `code` lies in scope `sc`, else 0 (the same rule as the
 * queries). */
int eg_scope_contains(const eg_scope *sc, const char *code);

/* The person of opaque id `pid` within scope; EG_ERR_NOT_FOUND otherwise. */
eg_err eg_store_person_by_pid(eg_store *s, const eg_scope *sc, const char *pid, eg_person_fn fn,
                              void *ctx);
/* Persons within scope and within `juris` (short code, NULL: the whole
 * scope) after the key (after_juris, after_pid) (both "" for the start),
 * ordered by (juris_code, pid), skipping `offset`, at most `limit`. */
eg_err eg_store_person_page(eg_store *s, const eg_scope *sc, const char *juris,
                            const char *after_juris, const char *after_pid, long offset, long limit,
                            eg_person_fn fn, void *ctx);
/* Persons within scope matching every given field (NULL or "" = any):
 * normalised document number (exact), normalised name (exact), phone
 * (exact), at most `limit`, by pid. */
eg_err eg_store_person_search(eg_store *s, const eg_scope *sc, const char *id_no,
                              const char *name_norm, const char *phone, long limit,
                              eg_person_fn fn, void *ctx);

/* An order as listed, with its person's opaque id ("" when the person is
 * not registered). */
typedef eg_err (*eg_order_row_fn)(void *ctx, const eg_order_rec *r, const char *pid);
/* Orders within scope and `juris` (NULL: whole scope), in `state` (NULL:
 * any), starting in [from, to] (EG_NO_DATE: open), after the key
 * (after_juris, after_id) ("" and 0: from the start), ordered by
 * (juris_code, id) (one index range, no sort), at most `limit`. */
eg_err eg_store_order_page(eg_store *s, const eg_scope *sc, const char *juris, const char *state,
                           eg_date from, eg_date to, const char *after_juris, int64_t after_id,
                           long limit, eg_order_row_fn fn, void *ctx);

/* A verification task as listed, with its order's person. */
typedef struct eg_task_row {
    eg_task_rec task;
    const char *order_oid;
    const char *id_no;
    const char *name;
    const char *measure;
    const char *pid;           /* "" when not registered */
    eg_time closed_at;         /* 0 when open */
    const char *kind;          /* verification or referral (schema 5) */
} eg_task_row;
typedef eg_err (*eg_task_row_fn)(void *ctx, const eg_task_row *r);
/* Tasks as eg_store_order_page (dates: created_at's date). */
eg_err eg_store_task_page(eg_store *s, const eg_scope *sc, const char *juris, const char *state,
                          eg_date from, eg_date to, const char *after_juris, int64_t after_id,
                          long limit, eg_task_row_fn fn, void *ctx);

/* Audit records with from <= at < to (0: open), actor `actor` (NULL:
 * any), id > after_id, oldest first, at most `limit` (<= 0: all). */
eg_err eg_store_audit_page(eg_store *s, eg_time from, eg_time to, const char *actor,
                           int64_t after_id, long limit, eg_audit_fn fn, void *ctx);

/*
 * Pseudonymise every person whose last control order ended before
 * `ended_before` (its end_date < the date): the document number becomes
 * `PSEUDO-` and 16 hex digits everywhere it appears (person, orders,
 * assistance requests, travel legs), name, phone, address and birth date
 * are blanked; orders, tasks, counts and the division stay, so reports
 * keep their numbers. *n receives how many persons (document numbers)
 * were pseudonymised. Runs inside the caller's transaction.
 */
eg_err eg_store_purge(eg_store *s, eg_date ended_before, eg_time at, long *n);

#ifdef __cplusplus
}
#endif
#endif
