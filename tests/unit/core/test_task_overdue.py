"""逾期 on the 工作台 means every kind of task past its day, counted once for the chip and heading."""

from __future__ import annotations

import datetime as dt

from app.core import tasks as t


def test_the_overdue_count_of_a_task_list_is_every_kind_past_its_day() -> None:
    day = dt.date(2024, 12, 20)
    p = t.PersonRow("p", "张三", "1", "红旗村", "一组", dt.date(1950, 1, 1),
                    {"高血压": dt.date(2024, 1, 1)})
    lines = [t._line(t.FOLLOWUP_KINDS["高血压"], "followup:高血压", p, dt.date(2024, 12, 1), day, None, ""),
             t._line(t.EXAM_RETURN, "exam", p, dt.date(2024, 11, 1), day, "e", ""),
             t._line(t.EXAM, "exam", p, dt.date(2024, 12, 31), day, None, "")]
    tasks = t.count(day, lines)
    assert tasks.overdue == 2 == sum(tasks.overdue_by_kind.values())
    assert [line.overdue for line in lines] == [True, True, False]
