"""EventBridge schedule expressions, checked completely before anything is rendered.

``rate(value unit)`` and the six-field ``cron(minutes hours day-of-month month
day-of-week year)`` as the EventBridge documentation defines them: ranges (``a-b``),
lists (``a,b``), steps (``*/n``, ``a/n``, ``a-b/n``), ``L`` and ``W`` in day-of-month
(``L``, ``LW``, ``15W``), ``L`` and ``#`` in day-of-week (``6L``, ``2#1``), ``?`` in exactly
one of the two day fields, month and day names (``JAN``-``DEC``, ``SUN``-``SAT``, in any
case) and years 1970-2199. AWS accepts an out-of-range expression when the rule is
created and fails only at apply (or never fires), so every mistake is caught here, with
the field it is in, the field's allowed values and a fix.

:func:`check_schedule` raises :class:`ScheduleError`; :func:`expand_cron_field` returns the
values a plain field (numbers, names, ranges, lists, steps) selects, which the tests
compare with croniter's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RATE_UNITS = ("minute", "hour", "day")


class ScheduleError(ValueError):
    """A schedule expression EventBridge would refuse or never fire.

    ``allowed`` is what the field accepts, ``hint`` the fix.
    """

    def __init__(self, message: str, *, allowed: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed
        self.hint = hint


@dataclass(frozen=True)
class CronField:
    """One of the six cron fields: its name, range, names and the special characters it takes."""

    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    specials: str = ""
    example: str = ""

    @property
    def allowed(self) -> str:
        """What the field accepts, in words."""
        values = f"{self.low}-{self.high}"
        if self.names:
            values += f" or {self.names[0]}-{self.names[-1]}"
        specials = ", - * /" + "".join(f" {c}" for c in self.specials)
        return f"{values}; wildcards {specials}"

    def number(self, token: str) -> int | None:
        """The value of one number or name, or None when it is neither."""
        if token.isdigit():
            return int(token)
        upper = token.upper()
        if upper in self.names:
            return self.low + self.names.index(upper)
        return None


MINUTES = CronField("minutes", 0, 59, example="0, 15, */5")
HOURS = CronField("hours", 0, 23, example="2, 9-17, */6")
DAY_OF_MONTH = CronField("day-of-month", 1, 31, specials="? L W", example="1, 15, L, 15W")
MONTH = CronField(
    "month",
    1,
    12,
    names=("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
    example="*, 1-6, JAN,JUL",
)
DAY_OF_WEEK = CronField(
    "day-of-week",
    1,
    7,
    names=("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"),
    specials="? L #",
    example="MON-FRI, 2#1, 6L",
)
YEAR = CronField("year", 1970, 2199, example="*, 2027, 2026-2030")
FIELDS = (MINUTES, HOURS, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR)

_RATE_RE = re.compile(r"^rate\((?P<body>.*)\)$", re.DOTALL)
_CRON_RE = re.compile(r"^cron\((?P<body>.*)\)$", re.DOTALL)
_RATE_BODY_RE = re.compile(r"^(?P<value>[0-9]+) (?P<unit>[A-Za-z]+)$")
RATE_ALLOWED = "rate(1 minute), rate(15 minutes), rate(1 hour), rate(2 hours), rate(1 day)"
CRON_ALLOWED = "cron(minutes hours day-of-month month day-of-week year)"


def check_schedule(expression: str) -> str:
    """``expression`` if EventBridge accepts it and it can fire; else :class:`ScheduleError`."""
    if expression != expression.strip():
        raise ScheduleError(
            f"{expression!r} has spaces around it",
            allowed=f"{RATE_ALLOWED} or {CRON_ALLOWED}",
            hint=f"write {expression.strip()!r}",
        )
    rate = _RATE_RE.match(expression)
    if rate:
        return _check_rate(expression, rate["body"])
    cron = _CRON_RE.match(expression)
    if cron:
        _check_cron(expression, cron["body"])
        return expression
    lowered = expression.lower()
    if lowered.startswith(("rate(", "cron(")) and expression[:4] != lowered[:4]:
        raise ScheduleError(
            f"{expression!r}: rate and cron are written in lowercase",
            allowed=f"{RATE_ALLOWED} or {CRON_ALLOWED}",
            hint=f"write {lowered[:4] + expression[4:]!r}",
        )
    if lowered.startswith("at("):
        raise ScheduleError(
            f"{expression!r} is a one-time schedule; a pipeline runs repeatedly",
            allowed="rate(...) or cron(...)",
            hint="e.g. rate(1 day) or cron(0 2 * * ? *)",
        )
    fields = expression.split()
    hint = (
        f"write cron({expression}{' *' if len(fields) == 5 else ''})"
        if 5 <= len(fields) <= 6 and "(" not in expression
        else "e.g. rate(15 minutes) or cron(0 2 * * ? *)"
    )
    raise ScheduleError(
        f"{expression!r} is not a schedule expression",
        allowed=f"rate(N minutes|hours|days) or {CRON_ALLOWED}",
        hint=hint,
    )


def _check_rate(expression: str, body: str) -> str:
    match = _RATE_BODY_RE.match(body)
    if not match:
        raise ScheduleError(
            f"{expression!r}: rate() takes a whole number, one space and a unit",
            allowed=RATE_ALLOWED,
            hint="e.g. rate(15 minutes)",
        )
    value, unit = match["value"], match["unit"]
    if value.startswith("0"):
        fixed = value.lstrip("0")
        raise ScheduleError(
            f"{expression!r}: the rate must be a positive whole number without leading zeros",
            allowed="1 or more",
            hint=f"write rate({fixed} {unit})" if fixed else "write rate(1 minute) or more",
        )
    singular = value == "1"
    base = unit.lower().removesuffix("s")
    if base not in RATE_UNITS:
        raise ScheduleError(
            f"{expression!r}: {unit!r} is not a rate unit",
            allowed="minute(s), hour(s), day(s)",
            hint="for weeks or months use cron(), e.g. cron(0 2 ? * MON *) for Mondays",
        )
    wanted = base if singular else base + "s"
    if unit != wanted:
        number = "singular" if singular else "plural"
        raise ScheduleError(
            f"{expression!r}: EventBridge wants the {number} unit {wanted!r}",
            allowed=RATE_ALLOWED,
            hint=f"write rate({value} {wanted})",
        )
    return expression


def _check_cron(expression: str, body: str) -> None:
    fields = body.split(" ")
    if len(fields) != len(FIELDS) or any(not f for f in fields):
        count = len(body.split())
        hint = "e.g. cron(0 2 * * ? *) for 02:00 UTC every day"
        if count == 5:
            hint = f"add the year field: cron({' '.join(body.split())} *)"
        elif count == 6:
            hint = f"separate the fields by single spaces: cron({' '.join(body.split())})"
        raise ScheduleError(
            f"{expression!r} has {count} fields; EventBridge cron has 6",
            allowed=CRON_ALLOWED,
            hint=hint,
        )
    for spec, text in zip(FIELDS, fields, strict=True):
        _check_field(expression, spec, text)
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        both = day_of_month == "?"
        raise ScheduleError(
            f"{expression!r}: "
            + (
                "day-of-month and day-of-week are both '?'"
                if both
                else "exactly one of day-of-month and day-of-week must be '?'"
            ),
            allowed="'?' in day-of-month or in day-of-week, never both or neither",
            hint=(
                f"every day: cron({' '.join([*fields[:2], '*', fields[3], '?', fields[5]])}); "
                f"on Mondays: cron({' '.join([*fields[:2], '?', fields[3], 'MON', fields[5]])})"
            ),
        )


def _field_error(expression: str, spec: CronField, text: str, why: str, hint: str) -> ScheduleError:
    return ScheduleError(
        f"{expression!r}: {spec.name} field {text!r}: {why}",
        allowed=f"{spec.name}: {spec.allowed}",
        hint=hint,
    )


def _check_field(expression: str, spec: CronField, text: str) -> None:
    if text == "?":
        if "?" not in spec.specials:
            raise _field_error(
                expression,
                spec,
                text,
                "'?' is only for the day fields",
                "use * ('?' is for the day fields)",
            )
        return
    if spec is DAY_OF_MONTH and text in ("L", "LW"):
        return
    if spec is DAY_OF_MONTH and text.endswith("W"):
        day = spec.number(text[:-1])
        if day is None or not spec.low <= day <= spec.high or text[:-1] != str(day):
            raise _field_error(
                expression,
                spec,
                text,
                "W must follow one day of the month",
                "W takes one day of the month: 15W is the weekday nearest the 15th",
            )
        return
    if spec is DAY_OF_WEEK and text.endswith("L"):
        last = text[:-1]
        if last and _in_range(spec, last) is None:
            raise _field_error(
                expression,
                spec,
                text,
                "L must follow one day of the week, or stand alone",
                "e.g. 6L: the last Friday",
            )
        return
    if spec is DAY_OF_WEEK and "#" in text:
        weekday, _, nth = text.partition("#")
        if _in_range(spec, weekday) is None or nth not in ("1", "2", "3", "4", "5"):
            raise _field_error(
                expression,
                spec,
                text,
                "# must join a day of the week and a week number from 1 to 5",
                "e.g. 2#1: the first Monday of the month",
            )
        return
    expand_cron_field(spec, text, expression=expression)


def _in_range(spec: CronField, token: str) -> int | None:
    value = spec.number(token)
    if value is None or not spec.low <= value <= spec.high:
        return None
    return value


def expand_cron_field(spec: CronField, text: str, *, expression: str = "") -> frozenset[int]:
    """The values a field of numbers, names, ``*``, ranges, lists and steps selects.

    Raises :class:`ScheduleError` naming the part that is out of range or malformed (and
    for ``L``, ``W``, ``#`` and ``?``, which only :func:`check_schedule` understands).
    """
    where = expression or text
    values: set[int] = set()
    for part in text.split(","):
        if not part:
            raise _field_error(where, spec, text, "a list item is empty", "remove the extra comma")
        values |= _expand_part(where, spec, text, part)
    return frozenset(values)


def _expand_part(where: str, spec: CronField, text: str, part: str) -> set[int]:
    base, slash, step_text = part.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit() or int(step_text) < 1:
            raise _field_error(
                where,
                spec,
                text,
                f"the step {step_text!r} is not a whole number from 1",
                "a step is a whole number, e.g. */5",
            )
        step = int(step_text)
        if step > spec.high - spec.low + 1:
            raise _field_error(
                where,
                spec,
                text,
                f"the step {step} is larger than the field's range",
                f"use a step of at most {spec.high - spec.low + 1}",
            )
    if base == "*":
        low, high = spec.low, spec.high
    elif "-" in base:
        first, _, last = base.partition("-")
        low = _value(where, spec, text, first)
        high = _value(where, spec, text, last)
        if low > high:
            raise _field_error(
                where,
                spec,
                text,
                f"the range {base} runs downwards",
                f"write the range upwards, or as two: {first}-{_name(spec, spec.high)},"
                f"{_name(spec, spec.low)}-{last}",
            )
    else:
        low = _value(where, spec, text, base)
        high = spec.high if slash else low
    return set(range(low, high + 1, step))


def _name(spec: CronField, value: int) -> str:
    return spec.names[value - spec.low] if spec.names else str(value)


def _value(where: str, spec: CronField, text: str, token: str) -> int:
    value = spec.number(token)
    if value is None:
        special = token.upper() in ("L", "W", "?", "LW") or "#" in token or token.endswith("W")
        hint = (
            f"{token!r} is not allowed in {spec.name}; it takes {spec.allowed}"
            if special
            else f"e.g. {spec.example}"
        )
        raise _field_error(where, spec, text, f"{token!r} is not a value", hint)
    if not spec.low <= value <= spec.high:
        nearest = min(max(value, spec.low), spec.high)
        raise _field_error(
            where,
            spec,
            text,
            f"{value} is outside {spec.low}-{spec.high}",
            f"use a value from {spec.low} to {spec.high} (e.g. {nearest})",
        )
    return value
