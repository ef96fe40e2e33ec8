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

/* eg_scope, eg_user_rec and the store operations of users, sessions
 * and scoped reads are in epigrid/store.h. */

#ifdef __cplusplus
}
#endif
#endif
