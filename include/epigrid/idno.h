/*
 * epigrid/idno.h: resident identity numbers (居民身份证号码).
 *
 * GB 11643-1999 "Citizen identification number": 6-digit region code of
 * first registration, 8-digit birth date YYYYMMDD, 3-digit sequence (odd for
 * men, even for women) and a check character computed by ISO 7064 MOD 11-2
 * over the first 17 digits with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2;
 * the remainder r gives "10X98765432"[r]. Rules for what is refused come
 * from spec/formats.md (persons.csv).
 */
#ifndef EPIGRID_IDNO_H
#define EPIGRID_IDNO_H

#include "epigrid/date.h"
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 18 characters plus NUL. */
#define EG_IDNO_BUFSZ 19
/* Longest stored document number (passports etc.) plus NUL. */
#define EG_DOCNO_BUFSZ 33

/* Why a number was refused. EG_IDNO_OK means valid. */
typedef enum eg_idno_reason {
    EG_IDNO_OK = 0,
    EG_IDNO_EMPTY,            /* empty */
    EG_IDNO_FIRST_GENERATION, /* 15-digit number, invalid since 2013 */
    EG_IDNO_SPREADSHEET_FLOAT,/* mangled by a spreadsheet: 2.20502E+17 */
    EG_IDNO_SPREADSHEET_ZEROED,/* last digits zeroed by a spreadsheet (15 sig. digits) */
    EG_IDNO_BAD_LENGTH,       /* not 18 characters */
    EG_IDNO_BAD_CHARACTER,    /* a letter or symbol other than a final X */
    EG_IDNO_BAD_REGION,       /* region code not a plausible province (11..82) */
    EG_IDNO_BAD_BIRTH_DATE,   /* birth date is not a calendar day */
    EG_IDNO_FUTURE_BIRTH_DATE,/* birth date after today */
    EG_IDNO_BAD_CHECK,        /* check character does not match */
    EG_IDNO__COUNT
} eg_idno_reason;

/* English reason for a refusal, for reports. Static, never NULL; for
 * EG_IDNO_BAD_CHECK it is "wrong check character" and the caller adds the
 * expected character that eg_idno_check gives ("... (expected 7)"). */
const char *eg_idno_reason_str(eg_idno_reason r);

/* The parts of a valid number. */
typedef struct eg_idno_info {
    char norm[EG_IDNO_BUFSZ];  /* normalised: trimmed, final x upper-cased */
    char region[7];            /* 6-digit region of first registration */
    eg_date birth;             /* birth date */
    char sex;                  /* 'M' (odd sequence) or 'F' (even) */
} eg_idno_info;

/*
 * Check a resident identity number. `s` is NUL-terminated; blanks around
 * it are trimmed and a final lower-case `x` is accepted as `X`. `today` is
 * the clock's date (a birth date after it is refused). On success fills
 * *info (may be NULL) and returns EG_OK. Otherwise returns EG_ERR_INVALID
 * (or EG_ERR_CHECKSUM for a wrong check character) and sets *reason
 * (may be NULL); for EG_IDNO_BAD_CHECK `expected` (may be NULL) receives
 * the right check character.
 */
eg_err eg_idno_check(const char *s, eg_date today, eg_idno_info *info,
                     eg_idno_reason *reason, char *expected);

/* The check character ('0'..'9' or 'X') for 17 digits `first17`.
 * Precondition: first17 holds 17 ASCII digits. */
char eg_idno_check_char(const char *first17);

/*
 * Build a valid number from a 6-digit region, a birth date and a sequence
 * (0..999; its parity gives the sex). out: EG_IDNO_BUFSZ bytes.
 * Returns EG_OK or EG_ERR_INVALID (bad region, sequence out of range).
 * Used by the drill generator and by tests.
 */
eg_err eg_idno_make(const char *region6, eg_date birth, int seq, char *out);

/* Mask a number for display: the first 6 and last 4 characters kept,
 * the rest '*' (220502********123X), as spec/api.md. Other document
 * numbers keep their first 2 and last 2 characters. out: at least
 * strlen(s)+1 bytes. Returns out. */
char *eg_idno_mask(const char *s, char *out);

/* Mask a phone number: first 3 and last 4 digits kept (138****1234).
 * out: at least strlen(s)+1 bytes. Returns out. */
char *eg_phone_mask(const char *s, char *out);

#ifdef __cplusplus
}
#endif
#endif
