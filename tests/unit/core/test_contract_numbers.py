"""Contract numbers: village, station, year and a serial that widens rather than repeats."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationError
from app.core.identity import contract_no, contract_no_prefix, contract_serial, next_contract_no

VILLAGE = "622923104201"


def test_a_number_carries_village_station_and_year():
    assert contract_no(VILLAGE, 2, 2025, 17) == "622923104201-2-2025-0017"
    assert contract_no(VILLAGE, 1, 2025, 17) != contract_no(VILLAGE, 2, 2025, 17)


def test_ten_thousand_and_one_contracts_of_a_year_all_get_their_own_number():
    prefix = contract_no_prefix(VILLAGE, 1, 2025)
    issued: list[str] = []
    highest: int | None = None
    for _ in range(10_001):
        number = next_contract_no(VILLAGE, 1, 2025, highest)
        issued.append(number)
        highest = contract_serial(number, prefix)
    assert len(set(issued)) == 10_001
    assert issued[9_998:] == [f"{prefix}9999", f"{prefix}10000", f"{prefix}10001"]


def test_a_serial_is_read_only_under_its_own_prefix():
    assert contract_serial("622923104201-1-2025-10000", "622923104201-1-2025-") == 10_000
    assert contract_serial("622923104201-2-2025-0003", "622923104201-1-2025-") is None
    assert contract_serial("202510001", "622923104201-1-2025-") is None


def test_bad_parts_are_refused():
    with pytest.raises(ValidationError):
        contract_no_prefix("622923104000", 1, 2025)     # a township, not a village
    with pytest.raises(ValidationError):
        contract_no_prefix(VILLAGE, 0, 2025)
