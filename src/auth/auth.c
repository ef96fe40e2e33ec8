/*
 * auth/auth.c: roles (spec/api.md), password hashing (argon2id through
 * libsodium's crypto_pwhash_str, interactive limits), session tokens
 * (32 random bytes; only their BLAKE2b hash is stored) and the CSRF token
 * derived from a session token.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "epigrid/auth.h"

static const char *const ROLE_NAMES[EG_ROLE__COUNT] = {
    "admin", "commander", "township_officer", "grid_worker", "checkpoint_staff", "clinician", "analyst",
};

/* Staff roles each account role is for ("*" = any), spec/api.md. */
static const char *const ROLE_STAFF[EG_ROLE__COUNT] = {
    "*", " city_leader secretary ", " township_cadre secretary ",
    " grid_leader village_cadre first_secretary doctor police ", " checkpoint_staff ", " clinician ",
    " cdc_staff ",
};

const char *eg_role_name(eg_role r)
{
    return (unsigned)r < EG_ROLE__COUNT ? ROLE_NAMES[r] : "unknown";
}

eg_err eg_role_parse(const char *s, eg_role *out)
{
    for (int i = 0; s && i < EG_ROLE__COUNT; i++)
        if (strcmp(s, ROLE_NAMES[i]) == 0) {
            *out = (eg_role)i;
            return EG_OK;
        }
    return EG_ERR_INVALID;
}

int eg_role_fits_staff(eg_role r, const char *staff_role)
{
    char key[64];
    if ((unsigned)r >= EG_ROLE__COUNT || !staff_role || !*staff_role || strlen(staff_role) > 60)
        return 0;
    if (ROLE_STAFF[r][0] == '*')
        return 1;
    snprintf(key, sizeof key, " %s ", staff_role);
    return strstr(ROLE_STAFF[r], key) != NULL;
}

int eg_role_sees_unmasked(eg_role r)
{
    return r == EG_ROLE_TOWNSHIP || r == EG_ROLE_GRID;
}

eg_err eg_auth_init(void)
{
    return sodium_init() < 0 ? EG_ERR_UNSUPPORTED : EG_OK;
}

eg_err eg_password_hash(const char *password, char *out)
{
    size_t n = strlen(password);
    _Static_assert(crypto_pwhash_STRBYTES <= EG_PWHASH_BUFSZ, "hash buffer");
    if (n < EG_PASSWORD_MIN || n > EG_PASSWORD_MAX)
        return EG_ERR_INVALID;
    if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return EG_ERR_NOMEM;
    return EG_OK;
}

int eg_password_verify(const char *hash, const char *password)
{
    size_t n = strlen(password);
    if (n > EG_PASSWORD_MAX || !hash || !*hash)
        return 0;
    return crypto_pwhash_str_verify(hash, password, n) == 0;
}

/* Hex of the BLAKE2b hash of `in` (keyed when key is non-NULL). */
static void hash_hex(const unsigned char *in, size_t n, const char *key, char *out)
{
    unsigned char h[EG_TOKEN_BYTES];
    crypto_generichash(h, sizeof h, in, n, (const unsigned char *)key, key ? strlen(key) : 0);
    sodium_bin2hex(out, EG_TOKEN_HEXSZ, h, sizeof h);
}

void eg_token_new(char *token_hex, char *hash_hex_out)
{
    unsigned char t[EG_TOKEN_BYTES];
    randombytes_buf(t, sizeof t);
    sodium_bin2hex(token_hex, EG_TOKEN_HEXSZ, t, sizeof t);
    hash_hex(t, sizeof t, NULL, hash_hex_out);
    sodium_memzero(t, sizeof t);
}

eg_err eg_token_hash(const char *token_hex, char *hash_hex_out)
{
    unsigned char t[EG_TOKEN_BYTES];
    size_t len = 0;
    if (!token_hex || strlen(token_hex) != 2 * EG_TOKEN_BYTES ||
        sodium_hex2bin(t, sizeof t, token_hex, 2 * EG_TOKEN_BYTES, NULL, &len, NULL) != 0 ||
        len != EG_TOKEN_BYTES)
        return EG_ERR_INVALID;
    hash_hex(t, sizeof t, NULL, hash_hex_out);
    return EG_OK;
}

void eg_token_csrf(const char *token_hex, char *csrf_hex)
{
    /* keyed with a fixed label: distinct from the stored hash */
    hash_hex((const unsigned char *)token_hex, strlen(token_hex), "epigrid-csrf-v1-0123456789abcdef", csrf_hex);
}

void eg_password_random(char *out, size_t len)
{
    static const char ALPHA[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i < len; i++)
        out[i] = ALPHA[randombytes_uniform(sizeof ALPHA - 1)];
    out[len] = 0;
}

int eg_auth_streq(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
