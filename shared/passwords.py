"""The password rule: long enough, and not one an attacker tries first."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # sign-in never hashes a longer one (see login_guard)
# The shortest run of keys that reads as "typed along a row" (abcd, 4321, qwer).
_RUN = 4

# The passwords tried first by anyone guessing, worldwide and in Indonesia; compared after
# lowering the case and dropping trailing digits and symbols, so "Bismillah123!" is refused too.
COMMON_PASSWORDS = frozenset(
    """
    password passw0rd p@ssw0rd pass qwerty qwertyuiop qwerty123 asdfgh asdfghjkl zxcvbnm
    qazwsx 1qaz2wsx letmein welcome admin administrator root login changeme secret default
    iloveyou sunshine princess dragon monkey football baseball superman batman master
    shadow michael jordan freedom whatever trustno1 starwars computer internet abc
    rahasia rahasiaku katasandi sandi bismillah alhamdulillah assalamualaikum insyaallah
    indonesia indonesiaraya merdeka garuda pancasila sayang sayangku sayangkamu cinta
    cintaku cintamu kasih kekasih aku akusayangkamu anakku mamapapa bunda ayah ibu
    jakarta bandung surabaya semarang yogyakarta medan makassar lamongan klungkung bali
    persib persija arema aremania bonek doraemon naruto barcelona juventus liverpool
    manchester chelsea masuk petugas pegawai kantor antrian disnaker dinas loket kiosk
    """.split()
)


def password_problem(password: str, username: str) -> str | None:
    """Why this password may not be used, for the administrator; None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password too short: use at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"password too long: use at most {MAX_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "password is only spaces: use letters, digits or symbols"
    word = password.lower().rstrip("0123456789!@#$%^&*.,-_ ") or password.lower()
    if word in COMMON_PASSWORDS:
        return "password is one of the most common ones: choose one nobody would guess"
    if word == username.lower():
        return "password is the user name: choose a different one"
    if _repeats(password.lower()) or _is_run(password.lower()):
        return "password is a repeated or sequential pattern (e.g. aaaa, 1212, abcd, 4321)"
    return None


def _repeats(text: str) -> bool:
    """True when the text is one short piece written again and again (aaaa, 121212, abcabc)."""
    return any(
        len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in range(1, 4)
    )


_ROWS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _is_run(text: str) -> bool:
    """True when the whole text is a stretch of one keyboard or alphabet row, either way."""
    if len(text) < _RUN:
        return False
    return any(text in row or text in row[::-1] for row in _ROWS)
