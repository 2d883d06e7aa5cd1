"""The password policy of the office: what a new password must be, said in one place.

Everyone: 8 to 1000 characters (a login carries at most 1000), not one of the commonest
passwords, not the username. Admins (who can read every visit and change every account): at
least 12 characters, not digits only, and not made of a single repeated or sequential run.
"""

from __future__ import annotations

import itertools

from inspector_app.wire import Role

MIN_LENGTH = 8
ADMIN_MIN_LENGTH = 12
MAX_LENGTH = 1000

# The top of the published leak lists, plus what a Chinese office is likely to choose. Compared
# case-insensitively; a password that merely contains one of these is fine if long enough.
COMMON = frozenset(
    [
        "password",
        "password1",
        "password12",
        "password123",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "admin",
        "admin123",
        "admin1234",
        "admin12345",
        "administrator",
        "root",
        "toor",
        "qwerty",
        "qwerty123",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
        "1q2w3e4r",
        "1qaz2wsx",
        "qazwsx",
        "abc123",
        "abc12345",
        "abcd1234",
        "a1b2c3d4",
        "iloveyou",
        "letmein",
        "welcome",
        "welcome1",
        "monkey",
        "dragon",
        "football",
        "baseball",
        "sunshine",
        "princess",
        "master",
        "shadow",
        "superman",
        "trustno1",
        "changeme",
        "default",
        "secret",
        "123456",
        "1234567",
        "12345678",
        "123456789",
        "1234567890",
        "12345678910",
        "0123456789",
        "987654321",
        "87654321",
        "11111111",
        "00000000",
        "88888888",
        "66666666",
        "12341234",
        "11223344",
        "123123123",
        "123qwe",
        "123qweasd",
        "123qweasdzxc",
        "woaini",
        "5201314",
        "woaini1314",
        "wang123456",
        "zhang123456",
        "li123456",
        "aa123456",
        "a123456",
        "a12345678",
        "qq123456",
        "iloveyou1",
        "88888888a",
        "1234qwer",
        "qwer1234",
        "asdf1234",
        "zaq12wsx",
        "inspector",
        "inspector123",
        "central",
    ]
)


class PasswordRefused(ValueError):
    """The message says which rule the password breaks."""


def check(password: str, *, username: str, role: Role) -> None:
    minimum = ADMIN_MIN_LENGTH if role is Role.ADMIN else MIN_LENGTH
    if len(password) < minimum:
        who = "管理员" if role is Role.ADMIN else "用户"
        raise PasswordRefused(f"{who}密码至少 {minimum} 位")
    if len(password) > MAX_LENGTH:
        raise PasswordRefused(f"密码不能超过 {MAX_LENGTH} 个字符")
    lowered = password.lower()
    if lowered in COMMON or lowered.rstrip("!.?#@") in COMMON:
        raise PasswordRefused("这是最常见的密码之一，请换一个")
    if username and username.lower() in lowered:
        raise PasswordRefused("密码不能包含用户名")
    if role is Role.ADMIN and (password.isdigit() or _monotonous(password)):
        raise PasswordRefused("管理员密码不能只是数字，也不能是重复或连续的字符")


def _monotonous(password: str) -> bool:
    """One character repeated, or a run going up or down by one (12345…, abcd…, 4321…)."""
    if len(set(password)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
    return steps <= {1} or steps <= {-1} or steps <= {0, 1} or steps <= {0, -1}
