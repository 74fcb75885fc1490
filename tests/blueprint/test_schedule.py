"""EventBridge schedule expressions: the whole grammar, with croniter as the reference for
the subset cron dialects share, and table cases for what only AWS has."""

from __future__ import annotations

import pytest
from croniter import croniter
from croniter.croniter import CroniterError
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.blueprint.schedule import (
    DAY_OF_MONTH,
    HOURS,
    MINUTES,
    MONTH,
    CronField,
    ScheduleError,
    check_schedule,
    expand_cron_field,
)

VALID = [
    "rate(1 minute)",
    "rate(15 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(7 days)",
    "cron(0 2 * * ? *)",
    "cron(0/15 9-17 ? * MON-FRI *)",
    "cron(0 12 L * ? *)",
    "cron(0 12 LW * ? *)",
    "cron(0 12 15W * ? *)",
    "cron(0 12 ? * 6L *)",
    "cron(0 12 ? * L *)",
    "cron(0 12 ? * 2#1 *)",
    "cron(0 12 ? * mon#5 2027)",
    "cron(0 8 1 jan,jul ? 2026-2030)",
    "cron(5,35 14 * JAN-DEC/3 ? 1970,2199)",
    "cron(*/5 * ? * SUN-SAT *)",
    "cron(0 0 1/7 * ? 2027/2)",
]

# (expression, words the message must contain, words the fix must contain)
INVALID = [
    ("cron(a b c d ? e)", "minutes field 'a': 'a' is not a value", "e.g. 0, 15"),
    ("cron(75 2 * * ? *)", "minutes field '75': 75 is outside 0-59", "from 0 to 59"),
    ("cron(0 25 * * ? *)", "hours field '25': 25 is outside 0-23", "from 0 to 23"),
    ("cron(0 2 ? 13 MON *)", "month field '13': 13 is outside 1-12", "from 1 to 12"),
    ("cron(0 2 0 * ? *)", "day-of-month field '0': 0 is outside 1-31", "from 1 to 31"),
    ("cron(0 2 ? * 8 *)", "day-of-week field '8': 8 is outside 1-7", "from 1 to 7"),
    ("cron(0 2 * * ? 1969)", "year field '1969': 1969 is outside 1970-2199", "1970"),
    ("cron(0 2 * * ? 2200)", "year field '2200'", "from 1970 to 2199"),
    ("cron(0 2 ? FOO MON *)", "month field 'FOO': 'FOO' is not a value", "JAN,JUL"),
    ("cron(0 2 ? * MONDAY *)", "day-of-week field 'MONDAY'", "MON-FRI"),
    ("cron(0 2 * * * *)", "exactly one of day-of-month and day-of-week", "cron(0 2 * * ? *)"),
    ("cron(0 2 ? * ? *)", "both '?'", "on Mondays: cron(0 2 ? * MON *)"),
    ("cron(0 2 * * ?)", "has 5 fields", "add the year field: cron(0 2 * * ? *)"),
    ("cron(0 2 * * ? * *)", "has 7 fields", "cron(0 2 * * ? *)"),
    ("cron(0  2 * * ? *)", "has 6 fields", "single spaces: cron(0 2 * * ? *)"),
    ("cron(? 2 * * ? *)", "minutes field '?'", "use *"),
    ("cron(0 L * * ? *)", "hours field 'L'", "not allowed in hours"),
    ("cron(0 2 32W * ? *)", "W must follow one day of the month", "15W"),
    ("cron(0 2 W * ? *)", "W must follow", "nearest the 15th"),
    ("cron(0 2 ? * 9L *)", "L must follow one day of the week", "6L"),
    ("cron(0 2 ? * 2#6 *)", "week number from 1 to 5", "2#1"),
    ("cron(0 2 ? * #1 *)", "week number", "first Monday"),
    ("cron(0 2 15#1 * ? *)", "day-of-month field '15#1'", "not allowed in day-of-month"),
    ("cron(0 2 L * ? *)x", "not a schedule expression", "rate(15 minutes)"),
    ("cron(10-5 2 * * ? *)", "the range 10-5 runs downwards", "10-59,0-5"),
    ("cron(0 2 ? * FRI-MON *)", "the range FRI-MON runs downwards", "FRI-SAT,SUN-MON"),
    ("cron(*/0 2 * * ? *)", "the step '0' is not a whole number from 1", "*/5"),
    ("cron(*/61 2 * * ? *)", "the step 61 is larger", "at most 60"),
    ("cron(1,,2 2 * * ? *)", "a list item is empty", "remove the extra comma"),
    ("rate(1 minutes)", "singular unit 'minute'", "rate(1 minute)"),
    ("rate(5 minute)", "plural unit 'minutes'", "rate(5 minutes)"),
    ("rate(2 Hours)", "plural unit 'hours'", "rate(2 hours)"),
    ("rate(0 minutes)", "positive whole number", "rate(1 minute)"),
    ("rate(015 minutes)", "without leading zeros", "rate(15 minutes)"),
    ("rate(1 week)", "'week' is not a rate unit", "cron(0 2 ? * MON *)"),
    ("rate(15minutes)", "a whole number, one space and a unit", "rate(15 minutes)"),
    ("Rate(15 minutes)", "written in lowercase", "rate(15 minutes)"),
    ("at(2027-01-01T00:00:00)", "one-time schedule", "rate(1 day)"),
    ("0 2 * * ? *", "not a schedule expression", "write cron(0 2 * * ? *)"),
    ("0 2 * * ?", "not a schedule expression", "write cron(0 2 * * ? *)"),
    (" rate(1 day)", "spaces around it", "'rate(1 day)'"),
]


@pytest.mark.parametrize("expression", VALID)
def test_valid_expressions_pass(expression: str) -> None:
    """Every documented form of rate() and cron(), AWS-only syntax included, is accepted."""
    assert check_schedule(expression) == expression


@pytest.mark.parametrize(("expression", "message", "fix"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_expressions_name_field_range_and_fix(
    expression: str, message: str, fix: str
) -> None:
    """Each mistake is refused with the field, its allowed values and a concrete fix."""
    with pytest.raises(ScheduleError) as caught:
        check_schedule(expression)
    assert message in caught.value.message
    assert fix in caught.value.hint
    assert caught.value.allowed


# --- croniter as the reference for the subset both dialects share -------------------

_POSITION = {MINUTES: 0, HOURS: 1, DAY_OF_MONTH: 2, MONTH: 3}
_REFERENCE_FIELDS = list(_POSITION)


def _numbers(spec: CronField) -> st.SearchStrategy[int]:
    """Values mostly in range, sometimes just outside it."""
    return st.integers(min_value=max(spec.low - 2, 0), max_value=spec.high + 3)


@st.composite
def _field(draw: st.DrawFn, spec: CronField) -> str:
    def item() -> str:
        shape = draw(st.sampled_from(["value", "range", "star-step", "value-step", "range-step"]))
        step = draw(st.integers(min_value=1, max_value=spec.high - spec.low + 1))
        low = draw(_numbers(spec))
        # croniter reads a one-value range (5-5) as '*': not part of the shared subset
        high = draw(st.integers(min_value=low + 1, max_value=spec.high + 4))
        if shape == "value":
            return str(low)
        if shape == "range":
            return f"{low}-{high}"
        if shape == "star-step":
            return f"*/{step}"
        if shape == "value-step":
            return f"{low}/{step}"
        return f"{low}-{high}/{step}"

    return ",".join(draw(st.lists(st.builds(item), min_size=1, max_size=3)))


def _croniter_values(spec: CronField, text: str) -> frozenset[int] | None:
    fields = ["0", "0", "1", "1", "*"]
    fields[_POSITION[spec]] = text
    try:
        expanded = croniter.expand(" ".join(fields))[0][_POSITION[spec]]
    except CroniterError:
        return None
    if expanded == ["*"]:
        return frozenset(range(spec.low, spec.high + 1))
    return frozenset(int(v) for v in expanded)


def _trellis_values(spec: CronField, text: str) -> frozenset[int] | None:
    try:
        return expand_cron_field(spec, text)
    except ScheduleError:
        return None


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_common_subset_agrees_with_croniter(data: st.DataObject) -> None:
    """For numbers, ranges, lists and steps, trellis and croniter accept the same fields
    and select the same values."""
    spec = data.draw(st.sampled_from(_REFERENCE_FIELDS))
    text = data.draw(_field(spec))
    assert _trellis_values(spec, text) == _croniter_values(spec, text), (spec.name, text)


@settings(max_examples=100, deadline=None)
@given(
    minute=st.integers(0, 59),
    hour=st.integers(0, 23),
    month=st.sampled_from(MONTH.names),
    day=st.integers(1, 31),
)
def test_generated_valid_expressions_pass(minute: int, hour: int, month: str, day: int) -> None:
    """Any in-range day-of-month schedule with a month name validates."""
    check_schedule(f"cron({minute} {hour} {day} {month} ? *)")
